// The Query page: metric-name completion from the API, a range graph whose legend has one entry
// per series the API returns (and values under the cursor), the table, and the shareable URL.
// Env: EXPR (the query to run), EXPECT_SERIES (how many series it has).
import { BASE, api, check, eventually, run, screenshots } from './lib.mjs';

const EXPR = process.env.EXPR || 'up';
const EXPECT = Number(process.env.EXPECT_SERIES || '0');

await run('query', async (page) => {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#query-editor .cm-content');

  // Completion of metric names comes from /api/v1/label/__name__/values.
  const prefix = EXPR.slice(0, Math.min(EXPR.length - 1, 6));
  await page.click('#query-editor .cm-content');
  await page.keyboard.type(prefix);
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: EXPR });
  await option.first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(EXPR);
  await page.keyboard.press('Escape');
  await page.click('#tab-graph');
  await page.fill('#range', '15m');
  await page.click('#run');

  // The legend has one row per series (plus uPlot's time row).
  const legend = '#graph .u-legend tr.u-series';
  await page.waitForSelector(legend, { timeout: 15000 });
  const rows = await page.locator(legend).count();
  const start = Math.floor(Date.now() / 1000) - 900;
  const fromApi = await api(`/api/v1/query_range?query=${encodeURIComponent(EXPR)}&start=${start}&end=${start + 900}&step=15`);
  const n = fromApi.data.result.length;
  check(n === EXPECT, `the API returns ${n} series for ${EXPR}, the test expected ${EXPECT}`);
  check(rows - 1 === n, `the graph's legend has ${rows - 1} series, the API returns ${n}`);
  const labels = await page.locator(`${legend} th`).allInnerTexts();
  for (const s of fromApi.data.result) {
    const k = Object.entries(s.metric).find(([name]) => name !== '__name__');
    check(!k || labels.some((l) => l.includes(`${k[0]}="${k[1]}"`)), `no legend entry for ${JSON.stringify(s.metric)}: ${labels}`);
  }
  const status = await page.textContent('#query-status');
  check(status.includes(`${n} series`), `status line: ${status}`);

  // Hovering the plot shows values in the legend.
  const over = await page.locator('#graph .u-over').boundingBox();
  let values;
  for (const f of [0.995, 0.95, 0.9, 0.75, 0.5]) {
    await page.mouse.move(over.x + over.width * f, over.y + over.height / 2);
    values = await eventually(async () => {
      const v = await page.locator(`${legend} .u-value`).allInnerTexts();
      return v.slice(1).some((x) => /\d/.test(x)) && v;
    }, 1000);
    if (values) break;
  }
  check(values, 'hovering the graph shows no values in the legend');

  // The URL holds the query: reloading it shows the same graph.
  const url = new URL(page.url());
  check(url.pathname === '/query' || url.pathname === '/', `page path ${url.pathname}`);
  check(url.searchParams.get('expr') === EXPR && url.searchParams.get('tab') === 'graph', `URL lacks the query: ${url}`);
  check(url.searchParams.get('range') === '15m', `URL lacks the range: ${url}`);
  await page.goto(url.toString());
  await page.waitForSelector(legend, { timeout: 15000 });
  check((await page.locator(legend).count()) === rows, 'the shared URL shows another graph');

  // Stacked: the same series, filled.
  await page.check('#stacked');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('stacked') === '1');
  await page.waitForSelector(legend);
  check((await page.locator(legend).count()) === rows, 'stacked graph lost series');
  await screenshots(page, 'query-graph');

  // The instant table: one row per series.
  await page.click('#tab-table');
  await page.waitForSelector('#result-table tr.row', { timeout: 15000 });
  const trs = await page.locator('#result-table tr.row').count();
  const instant = await api(`/api/v1/query?query=${encodeURIComponent(EXPR)}`);
  check(trs === instant.data.result.length, `the table has ${trs} rows, the API ${instant.data.result.length}`);
  await screenshots(page, 'query-table');
});
