/* Charts on the risk page: the assessment trend and each key risk indicator with its threshold. */
(function () {
  var script = document.currentScript;
  var trend = document.getElementById("risk-trend-data");
  if (trend) {
    var t = JSON.parse(trend.textContent);
    new Chart(document.getElementById("risk-trend"), {
      type: "line",
      data: { labels: t.labels, datasets: [
        { label: script.dataset.inherent, data: t.inherent, borderColor: "#c2410c", backgroundColor: "#c2410c", tension: 0 },
        { label: script.dataset.residual, data: t.residual, borderColor: "#2c5282", backgroundColor: "#2c5282", tension: 0 },
      ] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  document.querySelectorAll("canvas[id^='kri-']").forEach(function (canvas) {
    var node = document.getElementById("kri-data-" + canvas.id.slice(4));
    if (!node) return;
    var d = JSON.parse(node.textContent);
    new Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: [
        { label: script.dataset.actual + (d.unit ? " (" + d.unit + ")" : ""), data: d.actual, borderColor: "#2c5282",
          backgroundColor: "#2c5282", spanGaps: false, tension: 0 },
        { label: script.dataset.threshold, data: d.labels.map(function () { return d.threshold; }), borderColor: "#dc3545",
          borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
      ] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } }, scales: { y: { grace: "10%" } } },
    });
  });
})();
