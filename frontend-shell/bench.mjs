// Front-end figures for `npm run bench` (prints, never asserts):
//   1. bytes of shell JS + CSS (gzip) a browser downloads for the first page after sign-in
//      (budget ≤ 300 KB), with plugin page modules listed apart;
//   2. time to interactive of the home page in headless Chromium on localhost (budget ≤ 1 s):
//      from navigation start until the frame and the page content are drawn, no spinner is
//      visible, and the last long main-thread task (> 50 ms) has ended. Median of cold loads
//      (a new browser context each time, so nothing is cached).
// It starts the platform itself (as README's first command does) unless ONESERVICE_URL is set.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPlatform } from './test/e2e/platform.mjs';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const USER = process.env.BENCH_USER ?? 'tenant_admin@demo-tenant.local';
// The home page by default; BENCH_PATH=/hello measures a page with charts (ECharts chunk included).
const START = process.env.BENCH_PATH ?? '/';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (!existsSync(path.join(root, 'frontend-shell/dist/index.html'))) {
  console.error('frontend-shell/dist is missing: run `npm run build` first');
  process.exit(2);
}

const platform = process.env.ONESERVICE_URL ? { baseUrl: process.env.ONESERVICE_URL, stop: async () => undefined } : await startPlatform();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const login = await fetch(`${platform.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: 'oneservice-demo' }) });
  if (!login.ok) throw new Error(`sign-in of ${USER} failed: ${login.status}`);
  const tokens = await login.json();

  const runs = [];
  let assets = null;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: platform.baseUrl });
    // Signed in as a returning user is: tokens in localStorage before the first script runs.
    await context.addInitScript((t) => {
      localStorage.setItem('oneservice.session', JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token, expires_at: Date.now() + t.expires_in * 1000 }));
      window.__longTaskEnd = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTaskEnd = Math.max(window.__longTaskEnd, e.startTime + e.duration);
      }).observe({ type: 'longtask', buffered: true });
    }, tokens);
    const page = await context.newPage();
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await page.goto(START);
    await page.waitForFunction(() => {
      const content = document.querySelector('.page');
      const spinners = [...document.querySelectorAll('.state-loading, [aria-busy="true"]')].some((el) => el.offsetParent !== null);
      if (!content || content.childElementCount === 0 || spinners) return false;
      window.__readyAt ??= performance.now();
      return true;
    }, undefined, { polling: 'raf', timeout: 30_000 });
    await page.waitForTimeout(300); // let a late long task be observed
    const t = await page.evaluate(() => ({ ready: window.__readyAt, longTaskEnd: window.__longTaskEnd, path: location.pathname }));
    runs.push({ tti: Math.max(t.ready, t.longTaskEnd), ...t });
    if (i === 0) {
      assets = [];
      for (const r of responses) {
        const url = new URL(r.url());
        const type = r.request().resourceType();
        if (url.origin !== new URL(platform.baseUrl).origin || !['script', 'stylesheet'].includes(type) || !r.ok()) continue;
        const body = await r.body().catch(() => null);
        if (!body) continue;
        assets.push({ path: url.pathname, type, raw: body.length, gzip: gzipSync(body).length, plugin: url.pathname.startsWith('/plugins/') });
      }
    }
    await context.close();
  }

  const shell = assets.filter((a) => !a.plugin);
  const plugins = assets.filter((a) => a.plugin);
  const sum = (list, key) => list.reduce((s, a) => s + a[key], 0);
  const js = shell.filter((a) => a.type === 'script');
  const css = shell.filter((a) => a.type === 'stylesheet');
  const total = sum(shell, 'gzip');
  console.log(`frontend: first page ${runs[0].path} as ${USER}`);
  for (const a of shell) console.log(`  ${a.path.padEnd(48)} ${kb(a.raw).padStart(9)} raw ${kb(a.gzip).padStart(9)} gzip`);
  console.log(`frontend: shell JS + CSS for the first page: ${kb(total)} gzip (JS ${kb(sum(js, 'gzip'))}, CSS ${kb(sum(css, 'gzip'))}; budget ≤ 300 KB: ${total <= 300 * 1024 ? 'within' : 'OVER'})`);
  if (plugins.length) console.log(`frontend: plugin page modules on that page: ${plugins.map((a) => `${a.path} ${kb(a.gzip)} gzip`).join(', ')}`);
  const sorted = runs.map((r) => r.tti).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`frontend: ${START === '/' ? 'home page' : START} time to interactive: median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms over ${RUNS} cold loads (budget ≤ 1000 ms: ${median <= 1000 ? 'within' : 'OVER'})`);
} finally {
  await browser.close();
  await platform.stop();
}
