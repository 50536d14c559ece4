// Cashtrail workbench: the little behaviour htmx does not give us. No framework, no build step.
(function () {
  "use strict";

  function flash(message) {
    var area = document.getElementById("flash");
    if (!area) return;
    var box = document.createElement("div");
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.className = "flash-text";
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "flash-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    box.append(text, close);
    area.replaceChildren(box);
  }

  // Header menus: a click (or Enter/Space on the button) opens and closes a group; Escape or a click elsewhere
  // closes it. Hover and keyboard focus open it through CSS as well.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".navgroup-toggle");
    document.querySelectorAll(".navgroup.open").forEach(function (group) {
      if (!toggle || group !== toggle.parentElement) {
        group.classList.remove("open");
        group.querySelector(".navgroup-toggle").setAttribute("aria-expanded", "false");
      }
    });
    if (toggle) {
      var open = toggle.parentElement.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".navgroup.open").forEach(function (group) {
      group.classList.remove("open");
      group.querySelector(".navgroup-toggle").setAttribute("aria-expanded", "false");
    });
  });

  // Dismiss a flash message.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) button.closest(".flash").remove();
  });

  // htmx keeps the old content when the server cannot be reached; say so instead of failing silently.
  document.addEventListener("htmx:sendError", function () {
    flash("The server could not be reached. Check the connection and try again.");
  });
})();
