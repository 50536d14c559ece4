// Toner pages: drag a board card onto a column to pick the move, and draw the trend chart. No inline scripts (CSP).
(function () {
  "use strict";

  function setUpBoard(board) {
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".board-card");
      if (dragged && event.dataTransfer) {
        event.dataTransfer.setData("text/plain", dragged.getAttribute("data-key"));
        event.dataTransfer.effectAllowed = "move";
      }
    });
    board.addEventListener("dragover", function (event) {
      if (dragged && event.target.closest(".board-column")) event.preventDefault();
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest(".board-column");
      if (!dragged || !column) return;
      event.preventDefault();
      var target = column.getAttribute("data-status");
      var select = dragged.querySelector("select[name=target]");
      var allowed = select && Array.prototype.some.call(select.options, function (o) { return o.value === target; });
      if (!allowed) {
        dragged.classList.add("board-refused");
        window.setTimeout(function (card) { card.classList.remove("board-refused"); }, 1200, dragged);
        return;
      }
      select.value = target;
      column.appendChild(dragged);
      dragged.classList.add("board-pending");
      var reason = dragged.querySelector("input[name=reason]");
      if (reason) reason.focus();
      dragged = null;
    });
  }

  function drawTrend(canvas) {
    var data = JSON.parse(document.getElementById("trend-data").textContent);
    if (typeof window.Chart === "undefined") return;
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: "expected (yield pages)", data: data.expected.map(Number), yAxisID: "pages" },
          { type: "bar", label: "shipped (yield pages)", data: data.shipped, yAxisID: "pages" },
          { type: "line", label: "excess (yield pages)", data: data.excess.map(Number), yAxisID: "pages" },
          { type: "line", label: "black coverage %", yAxisID: "coverage",
            data: data.coverage.map(function (v) { return v === null ? null : Number(v); }) }
        ]
      },
      options: {
        scales: {
          pages: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "yield pages" } },
          coverage: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                      title: { display: true, text: "coverage %" } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("toner-board");
    if (board) setUpBoard(board);
    var canvas = document.getElementById("trend-chart");
    if (canvas) drawTrend(canvas);
  });
})();
