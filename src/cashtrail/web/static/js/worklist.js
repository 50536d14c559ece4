// Keyboard review of a worklist table ([data-worklist]): j/k or arrows move, a accepts, r rejects (type the reason,
// Enter sends, Esc cancels), e or Enter opens the row, / searches the page. The current row has a visible focus.
// Decisions are the row's own forms, sent with fetch: the row leaves the list and the next one is current.
// Without this script the same forms work as ordinary posts. No framework, no build step.
(function () {
  "use strict";

  var table = document.querySelector("[data-worklist]");
  if (!table) return;
  var search = document.getElementById("worklist-search");
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
  var current = -1;

  function rows() {
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr[data-row]"), function (row) {
      return !row.hidden;
    });
  }

  function select(index) {
    var list = rows();
    table.querySelectorAll("tbody tr.is-current").forEach(function (row) {
      row.classList.remove("is-current");  // hidden rows too, so one row at most is current
      row.setAttribute("aria-selected", "false");
    });
    if (!list.length) { current = -1; return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list[current].classList.add("is-current");
    list[current].setAttribute("aria-selected", "true");
    list[current].focus({ preventScroll: true });
    list[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() { return rows()[current] || null; }

  function showError(html, status) {
    var area = document.getElementById("flash");
    if (!area) return;
    if (html && html.indexOf("flash") !== -1) { area.innerHTML = html; return; }
    area.textContent = "The server refused this (" + status + ").";
  }

  function send(form, row) {
    var body = new FormData(form);
    return fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "HX-Request": "true", "X-CSRF-Token": csrf },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) {
        var index = current;
        row.remove();
        var area = document.getElementById("flash");
        if (area) area.textContent = "";
        var count = document.getElementById("worklist-count");
        if (count) count.textContent = String(rows().length);
        select(index);
        return;
      }
      return response.text().then(function (text) { showError(text, response.status); select(current); });
    }).catch(function () { showError("", "no connection"); });
  }

  function accept(row) {
    var form = row.querySelector('form[data-action="accept"]');
    if (form) send(form, row);
  }

  function startReject(row) {
    var form = row.querySelector('form[data-action="reject"]');
    if (!form) return;
    var input = form.querySelector('input[name="reason"]');
    input.tabIndex = 0;
    input.focus();
  }

  function open(row) {
    if (row && row.dataset.open) window.location.assign(row.dataset.open);
  }

  table.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest("tr[data-row]");
    if (!row) return;
    event.preventDefault();
    current = rows().indexOf(row);
    send(form, row);
  });

  table.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-row]");
    if (row) {
      var list = rows();
      current = list.indexOf(row);
      list.forEach(function (r, k) { r.classList.toggle("is-current", k === current); });
    }
  });

  if (search) {
    search.addEventListener("input", function () {
      var needle = search.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr[data-row]").forEach(function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
      });
      current = -1;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing) {
      if (event.key === "Escape") {
        target.blur();
        if (target === search) { select(0); } else { select(current); }
        event.preventDefault();
      } else if (event.key === "Enter" && target === search) {
        event.preventDefault();
        select(0);
      }
      return;  // a reason being typed: Enter submits its own form
    }
    var row = currentRow();
    switch (event.key) {
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current < 0 ? 0 : current - 1); break;
      case "a": if (row) accept(row); else select(0); break;
      case "r": if (row) startReject(row); else select(0); break;
      case "e": case "Enter": if (row) open(row); else select(0); break;
      case "/": if (search) search.focus(); break;
      default: return;
    }
    event.preventDefault();
  });

  if (rows().length) select(0);
})();
