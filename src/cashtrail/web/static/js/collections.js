// Collections dashboard: draws the trend charts from the JSON the page embeds (no inline script: CSP 'self').
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("collections-data");
    if (!holder || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(holder.textContent);
    var labels = data.months;
    var num = function (values) { return values.map(function (v) { return v === null ? null : Number(v); }); };
    document.querySelectorAll("canvas.trend-chart").forEach(function (canvas) {
      var series = data.trend[canvas.dataset.currency];
      if (!series) { return; }
      if (canvas.dataset.kind === "ratios") {
        new window.Chart(canvas, { type: "line", data: { labels: labels, datasets: [
          { label: "DSO (days)", data: num(series.dso) },
          { label: "CEI (%)", data: num(series.cei) },
          { label: "Percent current (%)", data: num(series.percent_current) }
        ] }, options: { animation: false, responsive: true, maintainAspectRatio: false } });
      } else {
        var buckets = Object.keys(series).filter(function (k) { return k.indexOf("aging:") === 0; });
        new window.Chart(canvas, { type: "bar", data: { labels: labels, datasets: buckets.map(function (k) {
          return { label: k.slice(6), data: num(series[k]) };
        }) }, options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } } });
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
