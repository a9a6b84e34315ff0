// Charts of the CRM's pages, drawn with the vendored Chart.js from data that
// the page holds as JSON: <canvas data-chart="bar" data-chart-source="id">
// and {{ data|json_script:"id" }} with {"labels", "values", "currency"}.
// Every chart has a table with the same figures beside it.
(function () {
  "use strict";
  if (!window.Chart) return;

  function moneyFormat(currency, compact) {
    try {
      return new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: currency || "USD",
        notation: compact ? "compact" : "standard",
        maximumFractionDigits: compact ? 1 : 2,
      });
    } catch (error) {
      return new Intl.NumberFormat("en-US");
    }
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source || canvas.dataset.drawn) return;
    const data = JSON.parse(source.textContent);
    const full = moneyFormat(data.currency, false);
    const compact = moneyFormat(data.currency, true);
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: canvas.dataset.chart || "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: "Order value",
          data: data.values,
          backgroundColor: "#0d6efd",
          borderRadius: 3,
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return full.format(item.parsed.y); } } },
        },
        scales: {
          x: { ticks: { color: "#495057", maxRotation: 0, autoSkip: true } },
          y: {
            beginAtZero: true,
            ticks: { color: "#495057", callback: function (value) { return compact.format(value); } },
          },
        },
      },
    });
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  drawAll(document);
  if (window.htmx) htmx.onLoad(drawAll);
})();
