// Completion rate (bars, left axis) and overdue actions (line, right axis) by department.
(function () {
  const data = JSON.parse(document.getElementById("mtg-chart-data").textContent);
  new Chart(document.getElementById("mtg-chart"), {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.rate_label, data: data.rate, yAxisID: "rate", backgroundColor: "#3b82f6" },
        { type: "line", label: data.overdue_label, data: data.overdue, yAxisID: "overdue", borderColor: "#dc2626", backgroundColor: "#dc2626" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        rate: { position: "left", min: 0, max: 100 },
        overdue: { position: "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
