// The Fleet page: every agent of the running setup with its state; the page's own refresh turns
// an agent "down" once it stops pushing. Filtering and sorting work.
// Env: EXPECT="name=state,..." (state up or down): waits (without reloading) until the table
// shows exactly these agents in these states. SHOT: the screenshots' name. TARGET_ERROR="name=text"
// (optional): under that agent a failing target shows `text` as its last error, as the API says.
import { BASE, api, check, eventually, run, screenshots } from './lib.mjs';

const EXPECT = Object.fromEntries((process.env.EXPECT || '').split(',').filter(Boolean).map((p) => p.split('=')));
const SHOT = process.env.SHOT || 'fleet';
const [ERROR_AGENT, ERROR_TEXT] = (process.env.TARGET_ERROR || '').split('=');

async function table(page) {
  return page.$$eval('#fleet-table tbody tr.row', (rows) =>
    rows.map((r) => Object.fromEntries([...r.querySelectorAll('td')].map((td) => [td.dataset.key, td.innerText.trim()]))),
  );
}

await run(SHOT, async (page) => {
  await page.goto(`${BASE}/fleet`);
  const names = Object.keys(EXPECT).sort();
  const rows = await eventually(async () => {
    const t = await table(page);
    const ok = t.length === names.length && t.every((r) => EXPECT[r.name] === r.state);
    return ok && t;
  }, 45000, 500);
  check(rows, `the fleet table never showed ${JSON.stringify(EXPECT)}; it shows ${JSON.stringify(await table(page))}`);
  check(JSON.stringify(rows.map((r) => r.name)) === JSON.stringify(names), `rows are not sorted by name: ${rows.map((r) => r.name)}`);
  const agents = (await api('/api/v1/pharos/agents')).data;
  for (const r of rows) {
    const a = agents.find((x) => x.name === r.name);
    check(a && a.state === r.state, `the API says ${r.name} is ${a && a.state}, the page ${r.state}`);
    check(r.version === a.version && r.version, `${r.name}: version ${r.version} (API ${a.version})`);
    check(r.transport === (a.transport || '–').toUpperCase(), `${r.name}: protocol ${r.transport}`);
    check(r.lastPush.endsWith('ago'), `${r.name}: last push ${r.lastPush}`);
    if (r.state === 'down') check(!r.sessions.startsWith('yes'), `${r.name} is down but shown connected: ${r.sessions}`);
    if (r.state === 'up') {
      check(r.sessions.startsWith('yes'), `${r.name} is up but not connected: ${r.sessions}`);
      check(/batches/.test(r.backlog), `${r.name}: no backlog shown (${r.backlog})`);
      check(/s$/.test(r.clockSkewSeconds), `${r.name}: no clock skew shown (${r.clockSkewSeconds})`);
    }
  }
  if (ERROR_AGENT) {
    let shown;
    const found = await eventually(
      async () => {
        shown = await page.$$eval(
          '#fleet-table tbody tr.row',
          (rows, name) => {
            const row = rows.find((r) => r.querySelector('td[data-key="name"]')?.innerText.trim() === name);
            const detail = row?.nextElementSibling;
            if (!detail || !detail.classList.contains('detail')) return null;
            return [...detail.querySelectorAll('.target-error')].map((e) => e.innerText.replace(/^\s*·\s*/, '').trim());
          },
          ERROR_AGENT,
        );
        return shown && shown.includes(ERROR_TEXT);
      },
      30000,
      500,
    );
    check(found, `${ERROR_AGENT}: no target shows the error "${ERROR_TEXT}" (shown: ${JSON.stringify(shown)})`);
    const a = (await api('/api/v1/pharos/agents')).data.find((x) => x.name === ERROR_AGENT);
    check(a && a.targets.some((t) => t.value === 0 && t.lastError === ERROR_TEXT), `the API has no target of ${ERROR_AGENT} failing with "${ERROR_TEXT}": ${JSON.stringify(a && a.targets)}`);
  }
  await screenshots(page, SHOT);

  // Filter by one name; sort by name descending.
  if (names.length > 1) {
    await page.fill('#fleet-filter', names[0]);
    await page.waitForFunction(() => document.querySelectorAll('#fleet-table tbody tr.row').length === 1);
    await page.fill('#fleet-filter', '');
    await page.click('#fleet-table th[data-key="name"]');
    const order = (await table(page)).map((r) => r.name);
    check(JSON.stringify(order) === JSON.stringify([...names].reverse()), `sorting by name again did not reverse: ${order}`);
  }
});
