// The Host view: CPU, memory, disk, network and container graphs for one host (its agent's
// `instance`), from the collectors' node_exporter and cAdvisor metric names.
import { h } from './dom.js';
import { get, post } from './api.js';
import { drawGraph } from './graph.js';
import { formatBytes, formatDuration, parseDuration } from './format.js';

const RANGES = ['15m', '1h', '3h', '6h', '12h', '1d', '2d', '1w'];

/** The panels: a title and queries (`$i` is the host's instance, `$r` the rate window). */
export const PANELS = [
  { id: 'cpu', title: 'CPU (cores busy, by mode)', stacked: true, expr: 'sum by (mode) (rate(node_cpu_seconds_total{instance="$i",mode!="idle"}[$r]))' },
  { id: 'load', title: 'Load average', expr: '{__name__=~"node_load1|node_load5|node_load15",instance="$i"}' },
  {
    id: 'memory',
    title: 'Memory',
    stacked: true,
    format: formatBytes,
    expr: [
      'label_replace(node_memory_MemTotal_bytes{instance="$i"} - node_memory_MemAvailable_bytes{instance="$i"}, "kind", "used", "", "")',
      'label_replace(node_memory_Buffers_bytes{instance="$i"} + node_memory_Cached_bytes{instance="$i"}, "kind", "buffers+cache", "", "")',
      'label_replace(node_memory_MemFree_bytes{instance="$i"} * 1, "kind", "free", "", "")',
    ].join(' or '),
  },
  { id: 'filesystem', title: 'Filesystem used (fraction)', expr: '1 - node_filesystem_avail_bytes{instance="$i",fstype!~"tmpfs|ramfs|overlay|squashfs"} / node_filesystem_size_bytes{instance="$i",fstype!~"tmpfs|ramfs|overlay|squashfs"}' },
  {
    id: 'disk',
    title: 'Disk I/O per second (writes negative)',
    format: formatBytes,
    expr: 'rate(node_disk_read_bytes_total{instance="$i"}[$r]) or -rate(node_disk_written_bytes_total{instance="$i"}[$r])',
  },
  {
    id: 'network',
    title: 'Network per second (transmit negative)',
    format: formatBytes,
    expr: 'rate(node_network_receive_bytes_total{instance="$i",device!="lo"}[$r]) or -rate(node_network_transmit_bytes_total{instance="$i",device!="lo"}[$r])',
  },
  { id: 'containers-cpu', title: 'Containers: CPU (cores)', expr: 'sum by (name) (rate(container_cpu_usage_seconds_total{instance="$i",name!=""}[$r]))' },
  { id: 'containers-memory', title: 'Containers: memory working set', format: formatBytes, expr: 'sum by (name) (container_memory_working_set_bytes{instance="$i",name!=""})' },
];

/** Renders the Host view for `/host/<name>` into `root`; returns its cleanup. */
export function hostPage(root, match) {
  const host = match[1] ? decodeURIComponent(match[1]) : '';
  const params = new URLSearchParams(location.search);
  const select = h('select', { id: 'host-select', 'aria-label': 'Host' }, h('option', { value: '' }, host || 'choose a host'));
  const rangeSelect = h('select', { id: 'host-range', 'aria-label': 'Range' }, RANGES.map((r) => h('option', { value: r }, r)));
  rangeSelect.value = RANGES.includes(params.get('range')) ? params.get('range') : '1h';
  const status = h('div', { class: 'status', id: 'host-status' });
  const grid = h('div', { class: 'grid', id: 'host-panels' });
  root.append(h('div', { class: 'toolbar' }, h('h2', {}, 'Host'), select, rangeSelect, status), grid);

  // Hosts: every instance with node_exporter's uname series, plus the agents.
  get('/api/v1/label/instance/values', { 'match[]': 'node_uname_info' })
    .then((b) => {
      const names = [...new Set([...b.data, host].filter(Boolean))].sort();
      select.replaceChildren(h('option', { value: '' }, 'choose a host'), ...names.map((n) => h('option', { value: n }, n)));
      select.value = host;
    })
    .catch((e) => (status.textContent = e.message));
  const go = () => {
    const q = rangeSelect.value === '1h' ? '' : `?range=${rangeSelect.value}`;
    history.pushState(null, '', `/host/${encodeURIComponent(select.value)}${q}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  };
  select.addEventListener('change', go);
  rangeSelect.addEventListener('change', go);

  const disposers = [];
  let stopped = false;
  if (!host) {
    grid.append(h('div', { class: 'empty' }, 'Choose a host.'));
    return () => {};
  }
  const range = parseDuration(rangeSelect.value);
  const end = Math.floor(Date.now() / 1000);
  const step = Math.max(Math.floor(range / 250), 1);
  // The last point at `end`, so the newest samples are in the graph.
  const start = end - Math.floor(range / step) * step;
  // A rate window of at least 4 steps and 1 minute (agents push every 15 s by default).
  const rateWindow = formatDuration(Math.max(4 * step, 60));
  const quoted = host.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  let empty = 0;
  for (const p of PANELS) {
    const box = h('div', { class: 'graph' });
    const panel = h('section', { class: 'panel', id: `panel-${p.id}` }, h('h2', {}, p.title), box);
    grid.append(panel);
    const query = p.expr.replaceAll('$i', quoted).replaceAll('$r', rateWindow);
    post('/api/v1/query_range', { query, start, end, step })
      .then((b) => {
        if (stopped) return;
        const m = b.data.result;
        panel.dataset.series = String(m.length);
        if (!m.length) {
          empty++;
          box.append(h('div', { class: 'empty' }, 'No data for this host.'));
          return;
        }
        disposers.push(drawGraph(box, m, { start, end, step, stacked: !!p.stacked, height: 220, format: p.format }));
      })
      .catch((e) => box.append(h('div', { class: 'error' }, e.message)))
      .finally(() => {
        if (!stopped) status.textContent = `${PANELS.length - empty} of ${PANELS.length} panels with data`;
      });
  }
  return () => {
    stopped = true;
    disposers.forEach((d) => d());
  };
}
