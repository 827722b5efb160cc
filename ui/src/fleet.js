// The Fleet page: every agent with its liveness, sessions, transport, last push, buffer backlog,
// version and clock skew (GET /api/v1/pharos/agents, plus the backlog series the agents push),
// and the `up` of the targets and probes each one collects, with the reason of a failing one's
// last failure (`lastError`). Refreshes every 5 s.
import { h } from './dom.js';
import { get, getJSON } from './api.js';
import { sortableTable } from './table.js';
import { ago, formatBytes, formatValue, parseValue, seriesName } from './format.js';

const REFRESH_MS = 5000;

/** The latest value of `expr` per `instance`. */
async function byInstance(expr) {
  const body = await get('/api/v1/query', { query: expr });
  const out = {};
  for (const s of body.data.result) out[s.metric.instance] = parseValue(s.value[1]);
  return out;
}

function targetsUp(a) {
  const up = a.targets.filter((t) => t.value === 1).length;
  return `${up}/${a.targets.length}`;
}

/** Renders the Fleet page into `root`; returns its cleanup. */
export function fleetPage(root) {
  const status = h('div', { class: 'status', id: 'fleet-status' });
  const filter = h('input', { id: 'fleet-filter', type: 'search', placeholder: 'Filter agents', 'aria-label': 'Filter agents' });
  const table = sortableTable({
    id: 'fleet-table',
    initialSort: 'name',
    search: (a) => [a.name, a.state, a.transport, a.version, ...a.targets.map((t) => `${seriesName(t.metric)} ${t.lastError || ''}`)].join(' '),
    columns: [
      { key: 'name', title: 'Agent', render: (a) => h('a', { href: `/host/${encodeURIComponent(a.name)}` }, a.name) },
      { key: 'state', title: 'State', render: (a) => h('span', { class: `badge ${a.state}` }, a.state) },
      // A killed agent's session stays open until the idle timeout: while the agent is down it
      // is shown as silent, not as connected.
      { key: 'sessions', title: 'Connected', num: true, render: (a) => (a.sessions > 0 ? (a.state === 'down' ? h('span', { title: 'A session is open but silent; it closes at the idle timeout.' }, `silent (${a.sessions})`) : `yes (${a.sessions})`) : 'no') },
      { key: 'transport', title: 'Protocol', render: (a) => (a.transport || '–').toUpperCase() },
      { key: 'lastPush', title: 'Last push', render: (a) => (a.lastPush ? ago(a.lastPush) : a.lastSeen ? `≥ ${ago(a.lastSeen)}` : '–'), sort: (a) => -(a.lastPush || a.lastSeen || 0) },
      { key: 'backlog', title: 'Backlog', num: true, render: (a) => (a.backlog === undefined ? '–' : `${a.backlog} batches · ${formatBytes(a.backlogBytes)}`) },
      { key: 'version', title: 'Version' },
      { key: 'clockSkewSeconds', title: 'Clock skew', num: true, render: (a) => (a.clockSkewSeconds === null || a.clockSkewSeconds === undefined ? '–' : `${formatValue(a.clockSkewSeconds)} s`), sort: (a) => Math.abs(a.clockSkewSeconds ?? 0) },
      { key: 'targets', title: 'Targets up', num: true, render: targetsUp, sort: (a) => a.targets.filter((t) => t.value !== 1).length },
    ],
    detail: (a) =>
      a.targets.length
        ? h(
            'ul',
            { class: 'targets' },
            a.targets.map((t) =>
              h(
                'li',
                {},
                h('span', { class: `badge ${t.value === 1 ? 'up' : 'down'}` }, t.value === 1 ? 'up' : 'down'),
                ' ',
                h('code', {}, seriesName(t.metric)),
                ` · ${ago(t.timestamp)}`,
                t.lastError ? h('span', { class: 'error target-error' }, ` · ${t.lastError}`) : null,
              ),
            ),
          )
        : null,
  });
  filter.addEventListener('input', () => table.setFilter(filter.value));
  root.append(
    h('section', {}, h('div', { class: 'toolbar' }, h('h2', {}, 'Agents'), filter, status), h('div', { class: 'result' }, table.el)),
    h('p', { class: 'empty' }, 'A target or probe is a series named up or probe_success in an agent’s pushes; an agent is down after it missed [ingest] missed_intervals push intervals. Backlog: the batches in the agent’s disk buffer that its aggregators have not acknowledged.'),
  );

  let timer;
  let stopped = false;
  async function refresh() {
    try {
      const [agents, records, bytesLeft] = await Promise.all([
        getJSON('/api/v1/pharos/agents'),
        byInstance('pharos_agent_buffer_records').catch(() => ({})),
        byInstance('pharos_agent_buffer_bytes').catch(() => ({})),
      ]);
      if (stopped) return;
      const rows = agents.data.map((a) => ({ ...a, backlog: records[a.name], backlogBytes: bytesLeft[a.name] }));
      table.update(rows);
      const down = rows.filter((a) => a.state === 'down').length;
      status.className = 'status';
      status.textContent = `${rows.length} agents · ${down} down · updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (stopped) return;
      status.className = 'status error';
      status.textContent = e.message;
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
