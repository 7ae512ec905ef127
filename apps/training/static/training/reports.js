/* Average training hours per person by department, with the company's minimum as a line. */
(function () {
  var script = document.currentScript;
  var d = JSON.parse(document.getElementById("hours-data").textContent);
  new Chart(document.getElementById("hours-chart"), {
    type: "bar",
    data: { labels: d.labels, datasets: [
      { label: script.dataset.average, data: d.average, backgroundColor: "#2c5282" },
      { type: "line", label: script.dataset.minimum, data: d.labels.map(function () { return d.minimum; }),
        borderColor: "#dc3545", borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
    ] },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true } } },
  });
})();
