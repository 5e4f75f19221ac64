// The runs page with 10k runs in the tenant (prints, never asserts): `node plugins/training/bench/bench-runs-page.mjs`
// after `npm run build` (`npm run bench` runs it). It starts the demo platform, sends BENCH_RUNS (10,000)
// runs through the ingest API (each with a short loss curve, so every row draws a sparkline), then in
// headless Chromium measures, over cold loads of /training/runs by a signed-in user:
//   - first page drawn: navigation start → the first 50 rows are in the table with their sparklines
//     (budget ≤ 500 ms), median/min/max;
//   - in the app: a click on the Runs tab (coming from Compare) → the first 50 rows drawn, which is
//     what a signed-in user waits for once the shell is loaded;
//   - next page: a click on "next page" → the next 50 rows drawn;
//   - GET /runs?sparkline=loss (the page's one request per page) as the browser saw it.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPlatform } from '../../../frontend-shell/test/e2e/platform.mjs';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const USER = 'ml_engineer@demo-tenant.local';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(path.join(root, 'frontend-shell/dist/index.html'))) {
  console.error('frontend-shell/dist is missing: run `npm run build` first');
  process.exit(2);
}

async function post(baseUrl, token, p, body) {
  const res = await fetch(`${baseUrl}/api/v1${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function seed(baseUrl, token) {
  let next = 0;
  const t0 = Date.now() - RUNS * 1000;
  const worker = async () => {
    while (next < RUNS) {
      const i = next++;
      await post(baseUrl, token, '/ingest/batch', {
        batch_id: randomUUID(),
        run: { client_run_id: `bench-page-${i}`, project: `bench-page-${i % 20}`, name: `sweep-${i}`, tags: { exp: `e${i % 50}` }, params: { lr: (i % 10) / 1000 }, status: i % 7 === 0 ? 'running' : 'finished', started_at: t0 + i * 1000 },
        metrics: Array.from({ length: 40 }, (_, step) => ({ name: 'loss', value: 2 / (1 + step / (5 + (i % 5))), step, ts: t0 + i * 1000 + step })),
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const describe = (xs) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

const platform = await startPlatform();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const login = await fetch(`${platform.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: 'oneservice-demo' }) });
  const tokens = await login.json();
  const ingest = (await post(platform.baseUrl, tokens.access_token, '/auth/api-token', { name: 'bench runs page', scopes: ['ingest', 'read'] })).secret;
  const seeded = performance.now();
  await seed(platform.baseUrl, ingest);
  console.log(`runs page: seeded ${RUNS.toLocaleString()} runs (40 loss points each) in ${((performance.now() - seeded) / 1000).toFixed(1)} s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const first = [];
  const nextPage = [];
  const inApp = [];
  const request = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: platform.baseUrl });
    await context.addInitScript((t) => {
      localStorage.setItem('oneservice.session', JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token, expires_at: Date.now() + t.expires_in * 1000 }));
    }, tokens);
    const page = await context.newPage();
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/runs' && new URL(r.url()).searchParams.get('sparkline') === 'loss');
    await page.goto('/training/runs');
    await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr[data-key] svg.sparkline polyline').length >= 50, undefined, { polling: 'raf', timeout: 60_000 });
    first.push(await page.evaluate(() => performance.now()));
    const timing = (await listed).request().timing();
    request.push(timing.responseEnd);
    const firstKey = await page.locator('.data-table tbody tr[data-key]').first().getAttribute('data-key');
    const clicked = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: /next page/i }).click();
    await page.waitForFunction((key) => {
      const rows = document.querySelectorAll('.data-table tbody tr[data-key]');
      return rows.length >= 50 && rows[0].getAttribute('data-key') !== key && document.querySelectorAll('.data-table tbody svg.sparkline polyline').length >= 50;
    }, firstKey, { polling: 'raf', timeout: 60_000 });
    nextPage.push((await page.evaluate(() => performance.now())) - clicked);
    await page.locator('.secondary-nav a.tab[data-tab="compare"]').click();
    await page.waitForURL((url) => url.pathname === '/training/compare');
    const tabClicked = await page.evaluate(() => performance.now());
    await page.locator('.secondary-nav a.tab[data-tab="runs"]').click();
    await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr[data-key] svg.sparkline polyline').length >= 50, undefined, { polling: 'raf', timeout: 60_000 });
    inApp.push((await page.evaluate(() => performance.now())) - tabClicked);
    await context.close();
  }
  console.log(`runs page: first page (50 of ${RUNS.toLocaleString()} runs, sparklines drawn) ${describe(first)} over ${LOADS} cold loads (shell boot included)`);
  console.log(`runs page: in the app, Runs tab clicked → first page drawn ${describe(inApp)} (budget ≤ 500 ms: ${median(inApp) <= 500 ? 'within' : 'OVER'})`);
  console.log(`runs page: next page drawn after the click ${describe(nextPage)}`);
  console.log(`runs page: GET /runs?page_size=50&sparkline=loss as the browser saw it ${describe(request)}`);
  console.log(`runs page: load after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
} finally {
  await browser.close();
  await platform.stop();
}
