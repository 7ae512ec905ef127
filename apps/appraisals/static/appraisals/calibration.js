// Company-wide grade distribution against the forced-distribution limits.
(function () {
  var el = document.getElementById("dist-chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!el || !window.Chart) return;
  var colours = ["#198754", "#0d6efd", "#6c757d", "#dc3545"];
  new Chart(el, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {label: el.dataset.actual || "%", data: data.percent, backgroundColor: colours},
        {label: el.dataset.limit || "max %", data: data.max, type: "line", borderColor: "#fd7e14",
         backgroundColor: "#fd7e14", pointRadius: 22, borderWidth: 3, pointStyle: "line", showLine: false, spanGaps: false}
      ]
    },
    options: {animation: false, maintainAspectRatio: false, scales: {y: {beginAtZero: true, suggestedMax: 60, ticks: {callback: function (v) { return v + "%"; }}}},
              plugins: {legend: {display: true}}}
  });
})();
