// Range graphs with uPlot: one line per series (or stacked areas), a legend with each series'
// label set that shows the values under the cursor.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime, formatValue, parseValue, seriesName } from './format.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The colour of series `i`: a fixed palette first, then spread hues. */
export function color(i, alpha = 1) {
  if (i < PALETTE.length && alpha === 1) return PALETTE[i];
  const hue = i < PALETTE.length ? null : (i * 137.508) % 360;
  if (hue === null) {
    const n = parseInt(PALETTE[i].slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `hsla(${hue}, 60%, 45%, ${alpha})`;
}

/**
 * Draws a `query_range` matrix into `container` on the grid start..end by step (seconds).
 * `stacked` sums the series on top of each other (the legend still shows each one's own value);
 * `format` renders values on the axis and in the legend.
 * Returns a function that removes the graph.
 */
export function drawGraph(container, matrix, { start, end, step, stacked, height, format = formatValue }) {
  const n = Math.floor((end - start) / step) + 1;
  const xs = Array.from({ length: n }, (_, i) => start + i * step);
  const raw = matrix.map((s) => {
    const ys = new Array(n).fill(null);
    for (const [t, v] of s.values) {
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < n) ys[i] = parseValue(v);
    }
    return ys;
  });
  let shown = raw;
  if (stacked) {
    const acc = new Array(n).fill(0);
    shown = raw.map((ys) => ys.map((y, i) => (y === null || !Number.isFinite(y) ? null : (acc[i] += y))));
  }
  const series = [
    { label: 'Time', value: (u, t) => (t === null ? '–' : formatTime(t)) },
    ...matrix.map((s, i) => ({
      label: seriesName(s.metric),
      stroke: color(i),
      width: 1.5,
      fill: stacked ? color(i, 0.35) : undefined,
      points: { show: n < 60 },
      // The series' own value at the cursor, also when stacked.
      value: (u, v, si, idx) => (idx === null || idx === undefined || raw[si - 1][idx] === null ? '–' : format(raw[si - 1][idx])),
    })),
  ];
  const opts = {
    width: Math.max(container.clientWidth, 200),
    height,
    series,
    scales: { x: { time: true } },
    // The value axis as wide as its longest label.
    axes: [{}, { values: (u, ticks) => ticks.map(format), size: (u, vals) => 16 + 7 * Math.max(3, ...(vals || []).map((v) => v.length)) }],
    cursor: { focus: { prox: 30 } },
    focus: { alpha: 0.4 },
    legend: { live: true },
  };
  const plot = new uPlot(opts, [xs, ...shown], container);
  container.dataset.series = String(matrix.length);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(container.clientWidth, 200), height }));
  resize.observe(container);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
