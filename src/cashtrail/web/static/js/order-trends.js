// The order-discrepancy chart: a stacked bar per month, drawn by Chart.js from the JSON the page carries
// (<script type="application/json" id="discrepancy-data">). Without Chart.js the table below it shows the same data.
(function () {
  "use strict";

  var PALETTE = ["#1d4ed8", "#b42318", "#137333", "#8a5a00", "#7c3aed", "#0e7490", "#be185d", "#4b5563", "#a3a3a3"];

  function draw() {
    var canvas = document.getElementById("discrepancy-chart");
    var source = document.getElementById("discrepancy-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var names = Object.keys(data.series);
    var datasets = names.map(function (name, i) {
      return { label: name.replace(/_/g, " "), data: data.series[name], backgroundColor: PALETTE[i % PALETTE.length] };
    });
    canvas.dataset.series = String(names.length);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    canvas.dataset.drawn = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
