// Company-wide grade distribution against the forced-distribution limits, drawn again each
// time HTMX replaces the distribution (inline calibration). The limit markers are drawn
// above the bars (order), in a colour with a white outline, so they stay visible exactly
// when a bar passes its limit.
(function () {
  var colours = ["#198754", "#0d6efd", "#6c757d", "#dc3545"];
  function draw() {
    var el = document.getElementById("dist-chart");
    var source = document.getElementById("chart-data");
    if (!el || !source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var old = window.Chart.getChart(el);
    if (old) old.destroy();
    var marker = function (label, values, colour) {
      return {label: label, data: values, type: "line", order: 0, showLine: false, spanGaps: false,
              pointStyle: "line", pointRadius: 26, pointHoverRadius: 26, pointBorderWidth: 4,
              borderColor: colour, backgroundColor: colour, clip: false};
    };
    var datasets = [{label: el.dataset.actual || "%", data: data.percent, backgroundColor: colours, order: 1}];
    if (data.max.some(function (v) { return v !== null; })) datasets.push(marker(el.dataset.limit || "max %", data.max, "#000000"));
    if (data.min.some(function (v) { return v !== null && v > 0; })) datasets.push(marker(el.dataset.min || "min %", data.min, "#fd7e14"));
    var top = Math.max.apply(null, data.percent.concat(data.max.filter(function (v) { return v !== null; }), [40]));
    new window.Chart(el, {
      type: "bar",
      data: {labels: data.labels, datasets: datasets},
      options: {animation: false, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, suggestedMax: Math.min(100, top + 10), ticks: {callback: function (v) { return v + "%"; }}}},
                plugins: {legend: {display: true, labels: {boxWidth: 14}}}}
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  if (document.readyState !== "loading") draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
