// The Host view of one agent's host: every panel's legend has the series its query returns, and
// the CPU, load and memory panels have some.
// Env: HOST (the agent's name).
import { BASE, check, run, screenshots } from './lib.mjs';

const HOST = process.env.HOST;

await run('host', async (page) => {
  check(HOST, 'HOST is not set');
  await page.goto(`${BASE}/host`);
  await page.waitForSelector(`#host-select option[value="${HOST}"]`, { state: 'attached', timeout: 15000 });
  await page.selectOption('#host-select', HOST);
  await page.waitForURL(`**/host/${encodeURIComponent(HOST)}`);
  // Every panel's legend matches its query; CPU, load and memory exist on any Linux host (a
  // test machine may lack disks, non-loopback interfaces or containers).
  for (const id of ['cpu', 'load', 'memory', 'filesystem', 'disk', 'network', 'containers-cpu', 'containers-memory']) {
    await page.waitForSelector(`#panel-${id}[data-series]`, { timeout: 20000 });
    const n = Number(await page.getAttribute(`#panel-${id}`, 'data-series'));
    check(n > 0 || !['cpu', 'load', 'memory'].includes(id), `the ${id} panel has no series for ${HOST}`);
    const legend = await page.locator(`#panel-${id} .u-legend tr.u-series`).count();
    check(legend === (n ? n + 1 : 0), `the ${id} panel's legend has ${legend - 1} series, its query ${n}`);
  }
  const mem = await page.locator('#panel-memory .u-legend tr.u-series th').allInnerTexts();
  check(mem.some((l) => l.includes('kind="used"')), `memory legend: ${mem}`);
  await screenshots(page, 'host');
});
