// Formatting shared by the pages: label sets, durations, numbers, times.

/** `name{a="1", b="2"}` as Prometheus prints a series. */
export function seriesName(metric) {
  const name = metric.__name__ || '';
  const labels = Object.entries(metric)
    .filter(([k]) => k !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length || !name ? `${name}{${labels.join(', ')}}` : name;
}

const UNITS = [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];

/** Parses a Prometheus duration (`1h30m`, `90s`, `2d`) into seconds; NaN when it is not one. */
export function parseDuration(s) {
  const m = String(s).trim().match(/^((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?$/);
  if (!m || !String(s).trim()) return NaN;
  return [2, 4, 6, 8, 10].reduce((acc, i, j) => acc + (m[i] ? Number(m[i]) * UNITS[j][1] : 0), 0);
}

/** Seconds as a Prometheus duration (`1h30m`). */
export function formatDuration(sec) {
  let rest = Math.round(sec);
  if (rest <= 0) return '0s';
  let out = '';
  for (const [u, n] of UNITS) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
}

/** A sample value as the API sends it ("NaN", "+Inf", "1.5") as a number. */
export function parseValue(v) {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** A number for a legend or table: short but exact enough. */
export function formatValue(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return v === null || v === undefined ? '–' : 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e15 || a < 1e-4)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

/** A Unix time (seconds) as local `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(sec) {
  const d = new Date(sec * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** How long ago a Unix time (seconds) was, e.g. `3s ago`. */
export function ago(sec) {
  const d = Date.now() / 1000 - sec;
  return d < 0 ? 'in the future' : `${formatDuration(Math.max(d, 1))} ago`;
}

/** A byte count with binary units (`1.5 GiB`); negative values keep their sign. */
export function formatBytes(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return formatValue(v);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = Math.abs(v);
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${Number(n.toPrecision(3))} ${units[i]}`;
}
