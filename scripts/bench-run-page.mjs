// The training run page's figures, printed, never asserted (`node scripts/bench-run-page.mjs` after
// `npm run build`; `npm run bench` runs it):
//  (a) the Charts tab of a run with BENCH_METRICS (30) metrics over BENCH_STEPS (1,000,000) steps,
//      a point every BENCH_STRIDE (10) steps, seeded through the ingest API: click on the tab → every
//      panel painted (median of 5), and a cold load of the page on that tab (budget ≤ 1 s). 30M
//      points take long to ingest on a small machine, so the default keeps the 1M-step span with a
//      tenth of the points;
//  (b) the JavaScript a browser downloads for that page (shell, ECharts chunk, plugin page), gzip
//      (budget ≤ 150 KB);
//  (c) monitor_sdk log_metric → that point painted on the open Charts tab, p50/p95 over
//      BENCH_PROBES (60) points, with the SDK's default flush interval and with a short one
//      (aim ≤ 300 ms p95).
// It starts the platform itself (as README's first command does, demo data on) and headless Chromium.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPlatform } from '../frontend-shell/test/e2e/platform.mjs';
import { ROOT, createApiToken, signIn } from './lib/platform-process.mjs';
import { lineReader } from './lib/line-reader.mjs';

const STEPS = Number(process.env.BENCH_STEPS ?? 1_000_000);
const METRICS = Number(process.env.BENCH_METRICS ?? 30);
const STRIDE = Math.max(1, Number(process.env.BENCH_STRIDE ?? 10));
const PROBES = Number(process.env.BENCH_PROBES ?? 60);
const USER = 'ml_engineer@demo-tenant.local';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PYTHON = process.env.PYTHON ?? 'python3';
const SDK_SRC = path.join(ROOT, 'monitor-sdk', 'python', 'src');
const BATCH = 50_000; // the default INGEST_MAX_ITEMS
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const median = (xs) => pct(xs, 50);

if (!existsSync(path.join(ROOT, 'frontend-shell/dist/index.html'))) {
  console.error('frontend-shell/dist is missing: run `npm run build` first');
  process.exit(2);
}

const f64 = (values) => ({ f64: Buffer.from(new Float64Array(values).buffer).toString('base64') });

/** One run of METRICS metrics × STEPS steps, as metric_columns batches, a few in flight. */
async function seedBigRun(baseUrl, token) {
  const run = { client_run_id: `bench-run-page-${randomUUID()}`, project: 'bench', name: `bench ${METRICS}×${STEPS} steps`, framework: 'pytorch', status: 'finished' };
  const names = Array.from({ length: METRICS }, (_, i) => (i === 0 ? 'loss' : `metric_${String(i).padStart(2, '0')}`));
  const t0 = Date.now() - STEPS * 10;
  const stepsPerBatch = Math.max(1, Math.floor(BATCH / METRICS)) * STRIDE;
  let runId = null;
  let next = 0;
  const started = performance.now();
  const send = async (from) => {
    const to = Math.min(STEPS, from + stepsPerBatch);
    const name = [];
    const value = [];
    const ts = [];
    const step = [];
    for (let s = from; s < to; s += STRIDE) {
      for (let m = 0; m < METRICS; m++) {
        name.push(names[m]);
        value.push(Math.exp(-s / STEPS * (1 + m / 10)) + Math.sin(s / 97 + m) * 0.02);
        ts.push(t0 + s * 10);
        step.push(s);
      }
    }
    const res = await fetch(`${baseUrl}/api/v1/ingest/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ batch_id: `${run.client_run_id}-${from}`, run, metric_columns: { name, value: f64(value), ts: f64(ts), step } }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    runId ??= (await res.json()).run_id;
  };
  // The first batch creates the run; the rest go 3 at a time.
  await send(0);
  next = stepsPerBatch;
  const worker = async () => {
    while (next < STEPS) {
      const from = next;
      next += stepsPerBatch;
      await send(from);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  const total = METRICS * Math.ceil(STEPS / STRIDE);
  console.log(`  seeded ${METRICS} metrics over ${STEPS.toLocaleString('en')} steps${STRIDE > 1 ? ` (a point every ${STRIDE} steps)` : ''} = ${total.toLocaleString('en')} points in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en')} points/s)`);
  return runId;
}

async function newPage(browser, baseUrl, tokens) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl });
  await context.addInitScript((t) => {
    localStorage.setItem('oneservice.session', JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token, expires_at: Date.now() + t.expires_in * 1000 }));
  }, tokens);
  return { context, page: await context.newPage() };
}

const allDrawn = (count) => `(() => { const p = [...document.querySelectorAll('.panel-timeseries')]; return p.length >= ${count} && p.every((e) => e.dataset.drawn === 'true'); })()`;

async function chartsTab(browser, baseUrl, tokens, runId) {
  // Cold: a new context each time (nothing cached), navigation start → every panel painted.
  const cold = [];
  let assets = [];
  for (let i = 0; i < 3; i++) {
    const { context, page } = await newPage(browser, baseUrl, tokens);
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await page.goto(`/training/runs/${runId}?tab=charts`);
    await page.waitForFunction(allDrawn(METRICS), undefined, { timeout: 60_000, polling: 'raf' });
    cold.push(await page.evaluate(() => performance.now()));
    if (i === 0) {
      for (const r of responses) {
        if (r.request().resourceType() !== 'script' || !r.ok()) continue;
        const body = await r.body().catch(() => null);
        if (body) assets.push({ path: new URL(r.url()).pathname, raw: body.length, gzip: gzipSync(body).length });
      }
    }
    await context.close();
  }
  // Warm: the page is open on Overview; click Charts → every panel painted.
  const { context, page } = await newPage(browser, baseUrl, tokens);
  await page.goto(`/training/runs/${runId}?tab=overview`);
  await page.getByRole('heading', { name: 'Summary metrics' }).waitFor({ timeout: 30_000 });
  const clicks = [];
  for (let i = 0; i < 5; i++) {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Summary metrics' }).waitFor();
    await page.evaluate(() => (window.__t0 = performance.now()));
    await page.getByRole('tab', { name: 'Charts' }).click();
    await page.waitForFunction(allDrawn(METRICS), undefined, { timeout: 60_000, polling: 'raf' });
    clicks.push(await page.evaluate(() => performance.now() - window.__t0));
  }
  await context.close();
  return { cold, clicks, assets };
}

/** SDK log_metric → the point painted in the browser, read off the panel's data-drawn-last-x. */
async function sdkToDrawn(browser, baseUrl, tokens, apiToken, flushInterval) {
  const sdk = spawn(PYTHON, ['-u', '-c', `
import sys, tempfile, time
from monitor_sdk import OneServiceRun
run = OneServiceRun(base_url=sys.argv[1], api_token=sys.argv[2], tenant="demo-tenant", project="bench", run_name="draw-latency",
                    spool_dir=tempfile.mkdtemp(), capture_console=False, system_metrics=False, exit_hooks=False, print_url=False,
                    flush_interval=float(sys.argv[3]))
run.log_metric("latency_probe", 0.0, step=0)
print("RUN", run.wait_until_created(30), flush=True)
for line in sys.stdin:
    step = int(line)
    print("SENT", step, time.time() * 1000, flush=True)
    run.log_metric("latency_probe", float(step % 7), step=step)
run.finish(timeout=30)
`, baseUrl, apiToken, String(flushInterval)], { env: { ...process.env, PYTHONPATH: SDK_SRC }, stdio: ['pipe', 'pipe', 'inherit'] });
  const nextLine = lineReader(sdk.stdout);
  const runId = (await nextLine()).split(' ')[1];
  const { context, page } = await newPage(browser, baseUrl, tokens);
  await page.goto(`/training/runs/${runId}?tab=charts`);
  await page.waitForFunction(() => document.querySelector('.panel-timeseries[data-metric="latency_probe"]')?.dataset.drawn === 'true', undefined, { timeout: 30_000 });
  // The clock of the page and of the SDK is this machine's: Date.now() on both sides.
  await page.evaluate(() => {
    window.__drawn = {};
    const el = document.querySelector('.panel-timeseries[data-metric="latency_probe"]');
    new MutationObserver(() => {
      const x = el.dataset.drawnLastX;
      if (x !== undefined && !(x in window.__drawn)) window.__drawn[x] = Date.now();
    }).observe(el, { attributes: true, attributeFilter: ['data-drawn-last-x'] });
  });
  const latencies = [];
  for (let step = 1; step <= PROBES; step++) {
    sdk.stdin.write(`${step}\n`);
    const sentAt = Number((await nextLine()).split(' ')[2]);
    const drawnAt = await page
      .waitForFunction((s) => window.__drawn[String(s)], step, { timeout: 10_000, polling: 'raf' })
      .then((h) => h.jsonValue(), () => null);
    if (drawnAt) latencies.push(drawnAt - sentAt);
    // Spread the probes over the SDK's flush cycle, as a training loop's calls would be.
    await page.waitForTimeout(137);
  }
  sdk.stdin.end();
  await new Promise((r) => sdk.once('exit', r));
  await context.close();
  return latencies;
}

const platform = await startPlatform();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const login = await fetch(`${platform.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: 'oneservice-demo' }) });
  const tokens = await login.json();
  const ingestToken = await createApiToken(platform.baseUrl, USER, ['ingest']);
  void signIn;
  console.log(`run page bench (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores)`);

  console.log('\n(a) Charts tab of a big run');
  const runId = await seedBigRun(platform.baseUrl, ingestToken);
  const { cold, clicks, assets } = await chartsTab(browser, platform.baseUrl, tokens, runId);
  console.log(`  Charts tab, ${METRICS} metrics of a ${STEPS.toLocaleString('en')}-step run: click → all painted median ${median(clicks).toFixed(0)} ms (min ${Math.min(...clicks).toFixed(0)}, max ${Math.max(...clicks).toFixed(0)}, 5 clicks); cold page load → all painted median ${median(cold).toFixed(0)} ms over 3 (budget ≤ 1000 ms: ${median(clicks) <= 1000 ? 'within' : 'OVER'})`);

  console.log('\n(b) JavaScript of the chart page');
  for (const a of assets) console.log(`  ${a.path.padEnd(48)} ${kb(a.raw).padStart(9)} raw ${kb(a.gzip).padStart(9)} gzip`);
  const js = assets.reduce((s, a) => s + a.gzip, 0);
  console.log(`  chart page JS: ${kb(js)} gzip in ${assets.length} files (budget ≤ 150 KB: ${js <= 150 * 1024 ? 'within' : 'OVER'})`);

  console.log('\n(c) SDK log_metric → point painted on the Charts tab');
  for (const flush of [0.5, 0.05]) {
    const l = await sdkToDrawn(browser, platform.baseUrl, tokens, ingestToken, flush);
    console.log(`  flush_interval ${flush}s${flush === 0.5 ? ' (SDK default)' : ''}: p50 ${l.length ? median(l).toFixed(0) : '—'} ms, p95 ${l.length ? pct(l, 95).toFixed(0) : '—'} ms over ${l.length}/${PROBES} points (aim p95 ≤ 300 ms: ${l.length && pct(l, 95) <= 300 ? 'within' : 'OVER'})`);
  }
} finally {
  await browser.close();
  await platform.stop();
}
