// Charts drawn with the vendored Chart.js from data that the page holds as
// JSON: <canvas data-chart="bar" data-chart-source="id"> and
// {{ data|json_script:"id" }} with {"labels", "values", "currency", "label"}
// (one series of money) or {"labels", "datasets": [{"label", "values"}],
// "stacked"} (several series of counts). Every chart has a table with the
// same figures beside it.
(function () {
  "use strict";
  if (!window.Chart) return;

  const COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997"];

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
    const money = !data.datasets;
    const full = money ? moneyFormat(data.currency, false) : new Intl.NumberFormat("en-US");
    const compact = money ? moneyFormat(data.currency, true) : new Intl.NumberFormat("en-US");
    const datasets = money
      ? [{ label: data.label || "Order value", data: data.values }]
      : data.datasets.map(function (set) { return { label: set.label, data: set.values }; });
    datasets.forEach(function (set, index) {
      set.backgroundColor = COLOURS[index % COLOURS.length];
      set.borderRadius = 3;
    });
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: canvas.dataset.chart || "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                const value = full.format(item.parsed.y);
                return datasets.length > 1 ? item.dataset.label + ": " + value : value;
              },
            },
          },
        },
        scales: {
          x: { stacked: !!data.stacked, ticks: { color: "#495057", maxRotation: 0, autoSkip: true } },
          y: {
            stacked: !!data.stacked,
            beginAtZero: true,
            ticks: {
              color: "#495057",
              precision: money ? undefined : 0,
              callback: function (value) { return compact.format(value); },
            },
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
