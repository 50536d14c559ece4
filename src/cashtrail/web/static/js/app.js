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
