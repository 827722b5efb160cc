// The Alerts page: a firing alert in its notification group, a pending alert, the rules; a
// silence created in the page mutes the alert (as /api/v2/alerts reports it), and expiring it
// in the page makes the alert active again.
// Env: ALERT (a firing alert's name), PENDING (a pending alert's name, optional).
import { BASE, api, check, eventually, run, screenshots } from './lib.mjs';

const ALERT = process.env.ALERT || 'AlwaysFiring';
const PENDING = process.env.PENDING || '';

async function alertState() {
  const alerts = await api(`/api/v2/alerts?filter=${encodeURIComponent(`alertname="${ALERT}"`)}`);
  return alerts.length ? alerts[0].status : null;
}

await run('alerts', async (page) => {
  await page.goto(`${BASE}/alerts`);
  const row = page.locator(`#alert-groups tr.alert[data-alertname="${ALERT}"]`);
  await row.first().waitFor({ timeout: 30000 });
  check((await row.first().getAttribute('data-state')) === 'firing', `${ALERT} is not shown as firing`);
  const group = await page.locator('#alert-groups .alert-group h3').first().innerText();
  check(group.includes('alertname'), `the group header names no group labels: ${group}`);
  if (PENDING) {
    await page.locator('#pending-alerts tr', { hasText: `alertname="${PENDING}"` }).first().waitFor({ timeout: 15000 });
  }
  const rules = await api('/api/v1/rules');
  const ruleCount = rules.data.groups.reduce((n, g) => n + g.rules.length, 0);
  await page.waitForFunction((n) => document.querySelectorAll('#rules tr.rule').length === n, ruleCount, { timeout: 15000 });
  await screenshots(page, 'alerts-firing');

  // Silence it from its row: the form gets the alert's labels.
  check((await alertState()).state === 'active', `${ALERT} is not active in /api/v2/alerts before the silence`);
  await row.first().locator('button.silence-this').click();
  const matchers = await page.inputValue('#silence-matchers');
  check(matchers.includes(`alertname="${ALERT}"`), `the silence form has ${matchers}`);
  await page.fill('#silence-duration', '1h');
  await page.fill('#silence-creator', 'e2e');
  await page.fill('#silence-comment', 'silenced by the browser test');
  await page.click('#silence-create');
  await page.waitForFunction(() => document.querySelector('#silence-form-status').textContent.includes('created silence'), null, { timeout: 10000 });
  const id = (await page.textContent('#silence-form-status')).split(' ').pop();
  const muted = await eventually(async () => {
    const st = await alertState();
    return st && st.state === 'suppressed' && st.silencedBy.includes(id) && st;
  }, 15000);
  check(muted, `/api/v2/alerts does not report ${ALERT} silenced by ${id}: ${JSON.stringify(await alertState())}`);
  await page.locator(`#silences tr.silence[data-id="${id}"][data-state="active"]`).waitFor({ timeout: 15000 });
  await page.locator(`#alert-groups tr.alert[data-alertname="${ALERT}"][data-state="silenced"]`).first().waitFor({ timeout: 20000 });
  await screenshots(page, 'alerts-silenced');

  // Expire it: the alert is active again.
  await page.locator(`#silences tr.silence[data-id="${id}"] button.expire`).click();
  await page.locator(`#silences tr.silence[data-id="${id}"][data-state="expired"]`).waitFor({ timeout: 15000 });
  const silence = await api(`/api/v2/silence/${id}`);
  check(silence.status.state === 'expired', `silence ${id} is ${silence.status.state} after Expire`);
  const active = await eventually(async () => (await alertState())?.state === 'active', 15000);
  check(active, `${ALERT} is not active again after the silence expired`);
});
