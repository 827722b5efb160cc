// The Alerts page: firing alerts grouped as the routing tree groups them (Alertmanager's
// /api/v2/alerts/groups), pending alerts of the rules (/api/v1/alerts), silences (create,
// expire: /api/v2/silences) and the rules with their last evaluation and error (/api/v1/rules).
import { h } from './dom.js';
import { ApiError, get } from './api.js';
import { ago, formatDuration, parseDuration, seriesName } from './format.js';

const REFRESH_MS = 10000;

/** Alertmanager's API: a JSON body or a readable error (its errors are a JSON string or {message}). */
async function am(path, init) {
  const resp = await fetch(new URL(path, location.origin), init);
  const text = await resp.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!resp.ok) {
    const msg = typeof body === 'string' ? body : body && body.message ? body.message : text;
    throw new ApiError(resp.status === 404 ? 'not found' : `${resp.status}: ${msg}`);
  }
  return body;
}

/**
 * Parses matchers as amtool and the Alertmanager UI write them: `alertname="Foo", env=~"prod|stage"`
 * (braces optional, values quoted or bare). Throws on anything else.
 */
export function parseMatchers(text) {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  const out = [];
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^,"\s]*))\s*(,|$)/y;
  while (re.lastIndex < s.length) {
    const start = re.lastIndex;
    const m = re.exec(s);
    if (!m) throw new Error(`cannot parse the matchers at ${JSON.stringify(s.slice(start))}`);
    const value = m[3] !== undefined ? JSON.parse(`"${m[3]}"`) : m[4];
    out.push({ name: m[1], value, isRegex: m[2].includes('~'), isEqual: !m[2].startsWith('!') });
    if (!m[5]) break;
  }
  if (!out.length) throw new Error('a silence needs at least one matcher');
  return out;
}

function matcherText(m) {
  const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

function labelsText(labels) {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/** Renders the Alerts page into `root`; returns its cleanup. */
export function alertsPage(root) {
  const groupsBox = h('div', { id: 'alert-groups' });
  const pendingBox = h('div', { id: 'pending-alerts' });
  const silencesBox = h('div', { id: 'silences' });
  const rulesBox = h('div', { id: 'rules' });
  const status = h('div', { class: 'status', id: 'alerts-status' });

  const matchersInput = h('input', { id: 'silence-matchers', placeholder: 'alertname="HostDown", instance="web-1"', size: 40 });
  const durationInput = h('input', { id: 'silence-duration', value: '2h', size: 6 });
  const creatorInput = h('input', { id: 'silence-creator', value: localStorage.getItem('pharos.silence.creator') || '', placeholder: 'your name' });
  const commentInput = h('input', { id: 'silence-comment', placeholder: 'why', size: 30 });
  const formStatus = h('span', { class: 'status', id: 'silence-form-status' });
  const form = h(
    'form',
    { class: 'toolbar', id: 'silence-form', onsubmit: (e) => (e.preventDefault(), createSilence()) },
    h('label', {}, 'Matchers ', matchersInput),
    h('label', {}, 'for ', durationInput),
    h('label', {}, 'by ', creatorInput),
    h('label', {}, 'comment ', commentInput),
    h('button', { class: 'primary', id: 'silence-create', type: 'submit' }, 'Create silence'),
    formStatus,
  );

  root.append(
    h('div', { class: 'toolbar' }, status),
    h('section', {}, h('h2', {}, 'Firing alerts by notification group'), groupsBox),
    h('section', {}, h('h2', {}, 'Pending alerts'), pendingBox),
    h('section', {}, h('h2', {}, 'Silences'), form, silencesBox),
    h('section', {}, h('h2', {}, 'Rules'), rulesBox),
  );

  async function createSilence() {
    formStatus.className = 'status';
    try {
      const matchers = parseMatchers(matchersInput.value);
      const seconds = parseDuration(durationInput.value);
      if (!(seconds > 0)) throw new Error(`duration ${JSON.stringify(durationInput.value)} is not like 2h or 30m`);
      const createdBy = creatorInput.value.trim();
      if (!createdBy) throw new Error('say who creates the silence');
      localStorage.setItem('pharos.silence.creator', createdBy);
      const now = new Date();
      const body = {
        matchers,
        startsAt: now.toISOString(),
        endsAt: new Date(now.getTime() + seconds * 1000).toISOString(),
        createdBy,
        comment: commentInput.value.trim() || 'created in the Pharos UI',
      };
      const res = await am('/api/v2/silences', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      formStatus.textContent = `created silence ${res.silenceID}`;
      matchersInput.value = '';
      commentInput.value = '';
      refresh();
    } catch (e) {
      formStatus.className = 'status error';
      formStatus.textContent = e.message;
    }
  }

  async function expire(id) {
    try {
      await am(`/api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
      refresh();
    } catch (e) {
      status.className = 'status error';
      status.textContent = `expiring ${id}: ${e.message}`;
    }
  }

  function silenceFor(labels) {
    matchersInput.value = labelsText(labels);
    matchersInput.focus();
    form.scrollIntoView({ block: 'nearest' });
  }

  function alertRow(a) {
    const st = a.status || {};
    const state = st.state === 'suppressed' ? (st.silencedBy?.length ? 'silenced' : 'inhibited') : 'firing';
    return h(
      'tr',
      { class: 'row alert', dataset: { alertname: a.labels.alertname || '', state } },
      h('td', { dataset: { label: 'State' } }, h('span', { class: `badge ${state === 'firing' ? 'firing' : 'suppressed'}` }, state)),
      h('td', { class: 'series', dataset: { label: 'Labels' } }, labelsText(a.labels)),
      h('td', { dataset: { label: 'Since' } }, ago(Date.parse(a.startsAt) / 1000)),
      h('td', { dataset: { label: 'Summary' } }, a.annotations?.summary || a.annotations?.description || ''),
      h('td', {}, state === 'firing' ? h('button', { class: 'silence-this', onclick: () => silenceFor(a.labels) }, 'Silence') : ''),
    );
  }

  function renderGroups(groups) {
    const active = groups.filter((g) => g.alerts.length);
    if (!active.length) return groupsBox.replaceChildren(h('div', { class: 'empty' }, 'No firing alerts.'));
    groupsBox.replaceChildren(
      ...active.map((g) =>
        h(
          'div',
          { class: 'alert-group' },
          h('h3', {}, h('code', {}, `{${labelsText(g.labels)}}`), ` → ${g.receiver.name} · ${g.alerts.length} alert${g.alerts.length > 1 ? 's' : ''}`),
          h('table', { class: 'data responsive' }, h('tbody', {}, g.alerts.map(alertRow))),
        ),
      ),
    );
  }

  function renderPending(alerts) {
    const pending = alerts.filter((a) => a.state === 'pending');
    if (!pending.length) return pendingBox.replaceChildren(h('div', { class: 'empty' }, 'No pending alerts.'));
    pendingBox.replaceChildren(
      h(
        'table',
        { class: 'data responsive' },
        h(
          'tbody',
          {},
          pending.map((a) =>
            h(
              'tr',
              { class: 'row' },
              h('td', { dataset: { label: 'State' } }, h('span', { class: 'badge pending' }, 'pending')),
              h('td', { class: 'series', dataset: { label: 'Labels' } }, labelsText(a.labels)),
              h('td', { dataset: { label: 'Active since' } }, ago(Date.parse(a.activeAt) / 1000)),
            ),
          ),
        ),
      ),
    );
  }

  function renderSilences(silences) {
    const order = { active: 0, pending: 1, expired: 2 };
    const list = silences.filter((s) => s.status.state !== 'expired' || Date.now() - Date.parse(s.endsAt) < 3600e3);
    list.sort((a, b) => order[a.status.state] - order[b.status.state] || Date.parse(b.startsAt) - Date.parse(a.startsAt));
    if (!list.length) return silencesBox.replaceChildren(h('div', { class: 'empty' }, 'No silences.'));
    silencesBox.replaceChildren(
      h(
        'table',
        { class: 'data responsive', id: 'silence-table' },
        h('thead', {}, h('tr', {}, ['State', 'Matchers', 'Ends', 'Created by', 'Comment', ''].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          list.map((s) =>
            h(
              'tr',
              { class: 'row silence', dataset: { id: s.id, state: s.status.state } },
              h('td', { dataset: { label: 'State' } }, h('span', { class: `badge ${s.status.state === 'active' ? 'suppressed' : ''}` }, s.status.state)),
              h('td', { class: 'series', dataset: { label: 'Matchers' } }, s.matchers.map(matcherText).join(', ')),
              h('td', { dataset: { label: 'Ends' } }, s.status.state === 'expired' ? `${ago(Date.parse(s.endsAt) / 1000)}` : `in ${formatDuration((Date.parse(s.endsAt) - Date.now()) / 1000)}`),
              h('td', { dataset: { label: 'Created by' } }, s.createdBy),
              h('td', { dataset: { label: 'Comment' } }, s.comment),
              h('td', {}, s.status.state !== 'expired' ? h('button', { class: 'expire', onclick: () => expire(s.id) }, 'Expire') : ''),
            ),
          ),
        ),
      ),
    );
  }

  function renderRules(groups) {
    if (!groups.length) return rulesBox.replaceChildren(h('div', { class: 'empty' }, 'No rules loaded ([rules] files).'));
    rulesBox.replaceChildren(
      ...groups.map((g) =>
        h(
          'div',
          { class: 'rule-group' },
          h('h3', {}, `${g.name} `, h('span', { class: 'muted' }, `${g.file} · every ${formatDuration(g.interval)} · last ${g.lastEvaluation ? ago(Date.parse(g.lastEvaluation) / 1000) : 'never'}`)),
          h(
            'table',
            { class: 'data responsive' },
            h('thead', {}, h('tr', {}, ['Rule', 'Health', 'Last evaluation', 'Took', 'Error'].map((t) => h('th', {}, t)))),
            h(
              'tbody',
              {},
              g.rules.map((r) =>
                h(
                  'tr',
                  { class: 'row rule' },
                  h('td', { class: 'series', dataset: { label: 'Rule' } }, `${r.type === 'alerting' ? 'alert' : 'record'}: ${r.name}`, h('div', { class: 'muted' }, r.query)),
                  h('td', { dataset: { label: 'Health' } }, h('span', { class: `badge ${r.health === 'ok' ? 'up' : r.health === 'err' ? 'down' : ''}` }, r.health)),
                  h('td', { dataset: { label: 'Last evaluation' } }, r.lastEvaluation && !r.lastEvaluation.startsWith('0001') ? ago(Date.parse(r.lastEvaluation) / 1000) : 'never'),
                  h('td', { class: 'num', dataset: { label: 'Took' } }, r.evaluationTime !== undefined ? `${(r.evaluationTime * 1000).toFixed(1)} ms` : '–'),
                  h('td', { class: 'error', dataset: { label: 'Error' } }, r.lastError || ''),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  let timer;
  let stopped = false;
  async function refresh() {
    clearTimeout(timer);
    const problems = [];
    const settle = async (what, p, render) => {
      try {
        const v = await p;
        if (!stopped) render(v);
      } catch (e) {
        problems.push(`${what}: ${e.message === 'not found' ? 'no Alertmanager configured ([alerting] config_file)' : e.message}`);
      }
    };
    await Promise.all([
      settle('alert groups', am('/api/v2/alerts/groups'), renderGroups),
      settle('pending alerts', get('/api/v1/alerts').then((b) => b.data.alerts), renderPending),
      settle('silences', am('/api/v2/silences'), renderSilences),
      settle('rules', get('/api/v1/rules').then((b) => b.data.groups), renderRules),
    ]);
    if (stopped) return;
    status.className = problems.length ? 'status error' : 'status';
    status.textContent = problems.length ? problems.join('\n') : `updated ${new Date().toLocaleTimeString()}`;
    timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
