// Chart islands: <canvas data-chart='{"type","labels","datasets","stacked","decimals"}'> becomes a Chart.js chart.
// The same numbers are in the table next to each chart, for screen readers and browsers without JavaScript.
(() => {
  const palette = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#64748b"];
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const spec = JSON.parse(canvas.dataset.chart);
    const datasets = spec.datasets.map((d, i) => ({
      ...d,
      backgroundColor: palette[i % palette.length] + (spec.type === "line" ? "33" : ""),
      borderColor: palette[i % palette.length],
      borderWidth: spec.type === "line" ? 2 : 0,
      pointRadius: spec.type === "line" ? 2 : 0,
      tension: 0,
      fill: false,
      borderRadius: 3,
    }));
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { stacked: !!spec.stacked, grid: { display: false } },
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: spec.decimals ? {} : { precision: 0 } },
        },
      },
    });
  }
})();
