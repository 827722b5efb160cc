// The Query page: a PromQL editor, an instant table and a range graph. Everything the page shows
// is in its URL (expr, tab, range, end, step, stacked), so a link reproduces it.
import { h } from './dom.js';
import { post } from './api.js';
import { promqlEditor } from './editor.js';
import { drawGraph } from './graph.js';
import { formatDuration, formatTime, formatValue, parseDuration, parseValue, seriesName } from './format.js';

const RANGES = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '1w', '2w'];
const MAX_ROWS = 10000;

/** The page's settings from the URL. */
function readParams() {
  const p = new URLSearchParams(location.search);
  return {
    expr: p.get('expr') || '',
    tab: p.get('tab') === 'table' ? 'table' : 'graph',
    range: p.get('range') || '1h',
    end: p.get('end') || '',
    step: p.get('step') || '',
    stacked: p.get('stacked') === '1',
  };
}

/** `<input type=datetime-local>` value for a Unix time, in local time. */
function toLocalInput(sec) {
  const d = new Date(sec * 1000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}

/** Renders the Query page into `root`; returns its cleanup. */
export function queryPage(root) {
  const state = readParams();
  let disposeGraph = () => {};
  let seq = 0;

  const status = h('div', { class: 'status', id: 'query-status' });
  const result = h('div', { class: 'result', id: 'query-result' });
  const editorBox = h('div', { class: 'editor', id: 'query-editor' });
  const runButton = h('button', { class: 'primary', id: 'run', onclick: () => run() }, 'Execute');
  const rangeInput = h('input', { id: 'range', list: 'ranges', value: state.range, size: 5, 'aria-label': 'Range' });
  const endInput = h('input', { id: 'end', type: 'datetime-local', step: 1, 'aria-label': 'End time' });
  if (state.end) endInput.value = toLocalInput(Number(state.end));
  const stepInput = h('input', { id: 'step', value: state.step, placeholder: 'auto', size: 5, 'aria-label': 'Step' });
  const stackedBox = h('input', { id: 'stacked', type: 'checkbox', checked: state.stacked });
  const tabs = {
    table: h('button', { class: 'tab', id: 'tab-table', onclick: () => switchTab('table') }, 'Table'),
    graph: h('button', { class: 'tab', id: 'tab-graph', onclick: () => switchTab('graph') }, 'Graph'),
  };
  const graphControls = h(
    'div',
    { class: 'controls', id: 'graph-controls' },
    h('button', { title: 'Shorter range', onclick: () => zoom(0.5) }, '−'),
    rangeInput,
    h('button', { title: 'Longer range', onclick: () => zoom(2) }, '+'),
    h('datalist', { id: 'ranges' }, RANGES.map((r) => h('option', { value: r }))),
    h('label', {}, 'until ', endInput),
    h('button', { title: 'Until now', onclick: () => ((endInput.value = ''), run()) }, 'now'),
    h('label', {}, 'step ', stepInput),
    h('label', {}, stackedBox, ' stacked'),
  );
  for (const el of [rangeInput, endInput, stepInput, stackedBox]) el.addEventListener('change', () => run());

  root.append(
    h('section', { class: 'query' }, h('div', { class: 'editor-row' }, editorBox, runButton), h('div', { class: 'tabs' }, tabs.table, tabs.graph, graphControls), status, result),
  );
  const editor = promqlEditor(editorBox, state.expr, () => run());

  function zoom(factor) {
    const cur = parseDuration(rangeInput.value) || 3600;
    rangeInput.value = formatDuration(Math.max(cur * factor, 60));
    run();
  }

  function switchTab(tab) {
    state.tab = tab;
    run();
  }

  /** Writes the settings into the URL (replacing the entry: each run is not a page). */
  function saveParams() {
    const p = new URLSearchParams();
    p.set('expr', state.expr);
    p.set('tab', state.tab);
    if (state.tab === 'graph') {
      p.set('range', state.range);
      if (state.end) p.set('end', state.end);
      if (state.step) p.set('step', state.step);
      if (state.stacked) p.set('stacked', '1');
    }
    history.replaceState(null, '', `${location.pathname}?${p}`);
  }

  async function run() {
    state.expr = editor.state.doc.toString().trim();
    state.range = rangeInput.value.trim() || '1h';
    state.end = endInput.value ? String(Math.floor(new Date(endInput.value).getTime() / 1000)) : '';
    state.step = stepInput.value.trim();
    state.stacked = stackedBox.checked;
    for (const [name, el] of Object.entries(tabs)) el.classList.toggle('active', name === state.tab);
    graphControls.hidden = state.tab !== 'graph';
    disposeGraph();
    disposeGraph = () => {};
    result.replaceChildren();
    status.className = 'status';
    status.textContent = '';
    if (!state.expr) return;
    saveParams();
    const mine = ++seq;
    const started = performance.now();
    status.textContent = 'Loading…';
    try {
      const shown = state.tab === 'graph' ? await runRange(mine) : await runInstant(mine);
      if (shown === null) return;
      const ms = Math.round(performance.now() - started);
      status.textContent = `${shown} · ${ms} ms`;
    } catch (e) {
      if (mine !== seq) return;
      status.className = 'status error';
      status.textContent = e.message;
    }
  }

  function warn(body) {
    for (const w of [...(body.warnings || []), ...(body.infos || [])]) result.append(h('div', { class: 'warning' }, w));
  }

  // Each returns the status text, or null when a newer run started while it waited.
  async function runInstant(mine) {
    const body = await post('/api/v1/query', { query: state.expr, time: state.end || undefined });
    if (mine !== seq) return null;
    warn(body);
    const { resultType, result: data } = body.data;
    const table = h('table', { class: 'data', id: 'result-table' });
    const tbody = h('tbody');
    table.append(tbody);
    if (resultType === 'scalar' || resultType === 'string') {
      tbody.append(h('tr', {}, h('td', {}, resultType), h('td', { class: 'num' }, resultType === 'scalar' ? formatValue(parseValue(data[1])) : data[1])));
      result.append(table);
      return resultType;
    }
    for (const s of data.slice(0, MAX_ROWS)) {
      const value =
        resultType === 'vector'
          ? formatValue(parseValue(s.value[1]))
          : s.values.map(([t, v]) => h('div', {}, `${formatValue(parseValue(v))} @ ${formatTime(t)}`));
      tbody.append(h('tr', { class: 'row' }, h('td', { class: 'series' }, seriesName(s.metric)), h('td', { class: 'num' }, value)));
    }
    if (!data.length) result.append(h('div', { class: 'empty' }, 'Empty result'));
    else result.append(table);
    const more = data.length > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '';
    return `${data.length} series${more}`;
  }

  async function runRange(mine) {
    const range = parseDuration(state.range);
    if (!(range > 0)) throw new Error(`range ${JSON.stringify(state.range)} is not a duration like 1h or 30m`);
    const end = state.end ? Number(state.end) : Math.floor(Date.now() / 1000);
    let step = state.step ? parseDuration(state.step) || Number(state.step) : Math.max(Math.floor(range / 250), 1);
    if (!(step > 0)) throw new Error(`step ${JSON.stringify(state.step)} is not a duration`);
    // The last point at `end`, so the newest samples are in the graph.
    const start = end - Math.floor(range / step) * step;
    const body = await post('/api/v1/query_range', { query: state.expr, start, end, step });
    if (mine !== seq) return null;
    warn(body);
    const matrix = body.data.result;
    if (!matrix.length) {
      result.append(h('div', { class: 'empty' }, 'Empty result'));
      return '0 series';
    }
    const box = h('div', { class: 'graph', id: 'graph' });
    result.append(box);
    const height = window.innerWidth < 600 ? 240 : 340;
    disposeGraph = drawGraph(box, matrix, { start, end, step, stacked: state.stacked, height });
    return `${matrix.length} series · step ${formatDuration(step)}`;
  }

  run();

  return () => {
    seq++;
    disposeGraph();
    editor.destroy();
  };
}
