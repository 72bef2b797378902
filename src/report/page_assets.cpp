#include "report/page_assets.h"

namespace sparkify::report {

const char* const kPageStyle = R"css(
:root { --ink: #1d2430; --muted: #566072; --line: #dde2ea; --paper: #ffffff; --ground: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--ground);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 12px; overflow-wrap: anywhere; }
.glance { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; padding: 0; margin: 12px 0; }
.glance li { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
.glance b { display: block; font-size: 1.3rem; }
nav ol { columns: 2 14rem; padding-left: 1.4rem; margin: 8px 0; }
nav a { color: inherit; }
.how { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
section.chart { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 16px;
  margin: 16px 0; break-inside: avoid; }
.chart h2 { font-size: 1.2rem; margin: 0 0 4px; }
.chart > p { margin: 0 0 12px; color: var(--muted); }
.body { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.plot { position: relative; height: 320px; min-width: 0; }
.figures { max-height: 340px; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
caption { text-align: left; color: var(--muted); font-size: 0.8rem; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { position: sticky; top: 0; background: var(--paper); }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
details { margin-top: 12px; }
summary { cursor: pointer; color: var(--muted); }
pre { background: var(--ground); padding: 10px; overflow-x: auto; font-size: 0.8rem; margin: 8px 0 0; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 0.85rem; padding-bottom: 24px; }
@media (max-width: 760px) {
  body { font-size: 15px; }
  .body { grid-template-columns: 1fr; }
  .plot { height: 260px; }
  section.chart { padding: 12px; }
}
@media print {
  body { background: #fff; font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  /* One column on paper; a chart drawn for the screen is scaled to fit. */
  .body { display: block; }
  .plot { height: auto !important; margin-bottom: 8px; }
  canvas { max-width: 100% !important; width: auto !important; height: auto !important; }
  section.chart { border: none; border-top: 1px solid var(--line); border-radius: 0; padding: 8px 0;
    break-inside: auto; }
  .chart h2, .chart > p { break-after: avoid; }
  .plot, tr { break-inside: avoid; }
  .figures { max-height: none; overflow: visible; }
  th { position: static; }
  pre { white-space: pre-wrap; }
}
)css";

const char* const kPageScript = R"js(
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2f6fdf', '#e8793b', '#2a9d6f', '#c8435a', '#8a5cc7', '#9a7b3c', '#3aa0b8', '#6b7280'];
  var shortLabel = function (label) { return label.length > 28 ? label.slice(0, 27) + '\u2026' : label; };
  var charts = [];
  report.charts.forEach(function (spec) {
    var canvas = document.getElementById('canvas-' + spec.id);
    if (!canvas || spec.labels.length === 0) return;
    var doughnut = spec.style === 'doughnut';
    var horizontal = spec.style === 'hbar';
    var stacked = spec.style === 'stacked';
    var type = doughnut ? 'doughnut' : spec.style === 'line' ? 'line' : 'bar';
    var series = doughnut ? spec.series.slice(0, 1) : spec.series;
    var datasets = series.map(function (s, i) {
      var color = doughnut ? spec.labels.map(function (_, j) { return palette[j % palette.length]; })
                           : palette[i % palette.length];
      return { label: s.name, data: s.values, backgroundColor: color, borderColor: doughnut ? '#fff' : color,
               borderWidth: type === 'line' ? 2 : doughnut ? 1 : 0, pointRadius: spec.labels.length > 60 ? 0 : 2,
               tension: 0 };
    });
    var category = {
      stacked: stacked,
      ticks: { autoSkip: !horizontal, maxRotation: 60,
               callback: function (value) { return shortLabel(String(this.getLabelForValue(value))); } },
      grid: { display: false }
    };
    var amount = { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } };
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),  // sharp on paper too
      indexAxis: horizontal ? 'y' : 'x',
      interaction: { mode: doughnut ? 'nearest' : 'index', intersect: doughnut },
      plugins: { legend: { display: doughnut || datasets.length > 1, position: 'bottom' } },
      scales: doughnut ? {} : horizontal ? { y: category, x: amount } : { x: category, y: amount }
    };
    charts.push(new Chart(canvas, { type: type, data: { labels: spec.labels, datasets: datasets },
                                    options: options }));
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (details) { details.open = true; });
  });
  document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
})();
)js";

}  // namespace sparkify::report
