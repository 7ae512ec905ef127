/* Actual vs target over periods. Missing figures are gaps (spanGaps off), never zeros. */
(function () {
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("kpi-chart-data").textContent);
  var colours = { green: "#198754", amber: "#f0ad4e", red: "#dc3545", missing: "#adb5bd", no_target: "#6c757d" };
  var datasets = [
    {
      label: script.dataset.actual + (data.unit ? " (" + data.unit + ")" : ""),
      data: data.actual, borderColor: "#2c5282", backgroundColor: "#2c5282", borderWidth: 2, tension: 0,
      spanGaps: false, pointRadius: 4,
      pointBackgroundColor: data.status.map(function (s) { return colours[s] || "#2c5282"; }),
      pointBorderColor: data.status.map(function (s) { return colours[s] || "#2c5282"; }),
    },
  ];
  if (data.low !== null || data.high !== null) {
    var n = data.labels.length;
    var fill = function (v) { return Array(n).fill(v); };
    if (data.high !== null) datasets.push({ label: script.dataset.band, data: fill(data.high), borderColor: "#9aa5b1",
      borderDash: [5, 4], borderWidth: 1, pointRadius: 0, fill: data.low !== null ? "+1" : false,
      backgroundColor: "rgba(25,135,84,0.08)" });
    if (data.low !== null) datasets.push({ label: script.dataset.band, data: fill(data.low), borderColor: "#9aa5b1",
      borderDash: [5, 4], borderWidth: 1, pointRadius: 0 });
  } else {
    datasets.push({ label: script.dataset.target, data: data.target, borderColor: "#9aa5b1", backgroundColor: "#9aa5b1",
      borderDash: [6, 4], borderWidth: 2, pointRadius: 0, stepped: "middle", spanGaps: false });
  }
  new Chart(document.getElementById("kpi-chart"), {
    type: "line",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { filter: function (item, chart) {
        // the range band is drawn as two lines: name it once
        return chart.datasets.findIndex(function (d) { return d.label === item.text; }) === item.datasetIndex;
      } } } },
      scales: { y: { beginAtZero: false, grace: "10%" } },
    },
  });
})();
