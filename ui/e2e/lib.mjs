// Shared by the browser tests (run by tests/tests/ui.rs): Debian's Chromium driven by
// playwright-core, the aggregator's URL from PHAROS_URL, screenshots into PHAROS_ARTIFACTS.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The aggregator under test. */
export const BASE = process.env.PHAROS_URL || 'http://127.0.0.1:9700';
const ARTIFACTS = process.env.PHAROS_ARTIFACTS || 'ui-artifacts';

/** The two window sizes every page must work in: a 1366×768 laptop and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
};

/** A failed expectation: the script prints it and exits 1. */
export class Failure extends Error {}

/** Throws a Failure with `message` unless `cond`. */
export function check(cond, message) {
  if (!cond) throw new Failure(message);
}

/** Polls `f` (async) until it returns a truthy value or `ms` pass; returns the last value. */
export async function eventually(f, ms = 15000, every = 250) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await f();
    } catch (e) {
      last = undefined;
      if (Date.now() > until) throw e;
    }
    if (last || Date.now() > until) return last;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** GET a JSON API path of the aggregator. */
export async function api(path) {
  const resp = await fetch(new URL(path, BASE));
  if (!resp.ok) throw new Failure(`GET ${path}: ${resp.status} ${await resp.text()}`);
  return resp.json();
}

/**
 * Runs `body(page, browser)` in a fresh headless Chromium; console errors and failed page
 * requests are printed; the process exits 1 with the message on a failure.
 */
export async function run(name, body) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // As root (CI) Chromium refuses to start with its sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Failed requests are checked by their responses below (the console's message lacks the URL).
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console error: ${m.text()}`));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    // The PromQL completion also asks for metric metadata, which the aggregator does not serve
    // yet (404); completion works without it.
    if (r.status() >= 400 && !(r.status() === 404 && path === '/api/v1/metadata')) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  try {
    await body(page, browser);
    check(!problems.length, `the page reported errors:\n${problems.join('\n')}`);
    console.log(`${name}: ok`);
  } catch (e) {
    console.error(`${name}: FAILED: ${e.message}`);
    if (problems.length) console.error(problems.join('\n'));
    await screenshot(page, `${name}-failure`).catch(() => {});
    await browser.close();
    process.exit(1);
  }
  await browser.close();
}

/** Saves a full-page screenshot as `<ARTIFACTS>/<file>.png`. */
export async function screenshot(page, file) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${file}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot ${path}`);
}

/**
 * Screenshots the page at both sizes (`<name>-desktop.png`, `<name>-phone.png`), checking that
 * nothing is wider than the phone's screen, and returns to the desktop size.
 */
export async function screenshots(page, name, settle = async () => {}) {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await settle();
    await page.waitForTimeout(300);
    if (size === 'phone') {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(width <= viewport.width + 1, `${name}: the page is ${width}px wide on a ${viewport.width}px phone`);
    }
    await screenshot(page, `${name}-${size}`);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}
