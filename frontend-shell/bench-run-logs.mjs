// Figures of the run page's live logs for `npm run bench` (prints, never asserts):
//   1. a line ingested through the API → drawn in the Logs tab: p50/p95/max over N lines sent one
//      batch at a time, as a training script's flush would (the ingest write, the live notification,
//      the SSE follow read and the viewer's append are all inside it);
//   2. a burst: one batch of 5 000 lines → the last of them drawn (the follow reads 500 a page).
// It starts the platform itself (as README's first command does) unless ONESERVICE_URL is set.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPlatform } from './test/e2e/platform.mjs';

const root = path.resolve(import.meta.dirname, '..');
const LINES = Number(process.env.BENCH_LINES ?? 60);
const USER = 'ml_engineer@demo-tenant.local';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(path.join(root, 'frontend-shell/dist/index.html'))) {
  console.error('frontend-shell/dist is missing: run `npm run build` first');
  process.exit(2);
}

const platform = process.env.ONESERVICE_URL ? { baseUrl: process.env.ONESERVICE_URL, stop: async () => undefined } : await startPlatform();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const call = async (method, p, token, body) => {
  const res = await fetch(`${platform.baseUrl}/api/v1${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
try {
  const login = await fetch(`${platform.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: 'oneservice-demo' }) });
  const tokens = await login.json();
  const ingest = (await call('POST', '/auth/api-token', tokens.access_token, { name: 'bench run logs', scopes: ['ingest'], expires_in_days: 1 })).secret;
  const clientRunId = `bench-logs-${Date.now()}`;
  let batch = 0;
  const send = (logs) => call('POST', '/ingest/batch', ingest, {
    batch_id: `${clientRunId}-${++batch}`, run: { client_run_id: clientRunId, project: 'bench', status: 'running' }, logs,
  });
  const { run_id: runId } = await send([{ ts: Date.now(), level: 'info', message: 'bench start' }]);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: platform.baseUrl });
  await context.addInitScript((t) => {
    localStorage.setItem('oneservice.session', JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token, expires_at: Date.now() + t.expires_in * 1000 }));
  }, tokens);
  const page = await context.newPage();
  await page.goto(`/training/runs/${runId}?tab=logs`);
  await page.locator('.obs-live[data-state="live"]').waitFor({ timeout: 30_000 });
  await page.locator('.log-line', { hasText: 'bench start' }).waitFor();
  // The moment each bench line is in the DOM (same machine, same clock as this process).
  await page.evaluate(() => {
    window.__seen = {};
    new MutationObserver((records) => {
      const now = Date.now();
      for (const r of records) for (const n of r.addedNodes) {
        const m = /bench-line-(\d+|last)/.exec(n.textContent ?? '');
        if (m && window.__seen[m[1]] === undefined) window.__seen[m[1]] = now;
      }
    }).observe(document.querySelector('.log-lines'), { childList: true });
  });
  const latencies = [];
  for (let i = 0; i < LINES; i++) {
    const sent = Date.now();
    await send([{ ts: sent, level: 'info', message: `bench-line-${i}` }]);
    await page.waitForFunction((n) => window.__seen[n] !== undefined, String(i), { polling: 10, timeout: 15_000 });
    latencies.push((await page.evaluate((n) => window.__seen[n], String(i))) - sent);
  }
  latencies.sort((a, b) => a - b);

  // A burst: one batch of 5 000 lines (a noisy epoch), until the last is drawn.
  const burstSent = Date.now();
  await send(Array.from({ length: 5000 }, (_, i) => ({ ts: burstSent, level: 'info', message: `burst ${i} ${i === 4999 ? 'bench-line-last' : ''}` })));
  await page.waitForFunction(() => window.__seen.last !== undefined || document.querySelector('.log-lines')?.textContent?.includes('bench-line-last'), undefined, { polling: 10, timeout: 60_000 });
  const burst = Date.now() - burstSent;

  const load = os.loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(`run logs live: ingest → line drawn in the Logs tab over ${latencies.length} lines: p50 ${pct(latencies, 0.5)} ms, p95 ${pct(latencies, 0.95)} ms, max ${latencies.at(-1)} ms (load ${load}, ${os.cpus().length} cores)`);
  console.log(`run logs burst: one batch of 5 000 lines → the last drawn in ${burst} ms`);
} finally {
  await browser.close();
  await platform.stop();
}
