// End-to-end tests of the web console: starts the platform exactly as README's first command does
// (node core/dist/main.js, demo data on) on free ports with a throw-away data directory, waits for
// /readyz, runs every frontend-shell/test/e2e/*.e2e.mjs scenario in headless Chromium, prints
// `N passed, N failed`, stops the server and exits non-zero on any failure. It builds nothing:
// run `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2); // optional name filters: node scripts/e2e.mjs theme keyboard
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = path.join(root, 'artifacts', 'screenshots');

for (const file of ['core/dist/main.js', 'frontend-shell/dist/index.html']) {
  if (!existsSync(path.join(root, file))) {
    console.error(`${file} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startPlatform() {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'oneservice-e2e-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ONESERVICE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ONESERVICE_DEMO: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const child = spawn(process.execPath, ['core/dist/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}) before it was ready:\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (Date.now() >= deadline) throw new Error(`the platform was not ready within 240 s:\n${output.slice(-3000)}`);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { baseUrl, stop, output: () => output };
}

async function loadScenarios() {
  const dir = path.join(root, 'frontend-shell', 'test', 'e2e');
  const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.mjs')).sort();
  const scenarios = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    for (const t of mod.tests ?? []) scenarios.push({ ...t, file: f });
  }
  return scenarios.filter((s) => only.length === 0 || only.some((o) => s.file.includes(o) || s.name.includes(o)));
}

const scenarios = await loadScenarios();
mkdirSync(screenshots, { recursive: true });
let platform;
let browser;
let passed = 0;
let failed = 0;
try {
  platform = await startPlatform();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`platform at ${platform.baseUrl}; ${scenarios.length} scenarios`);
  for (const s of scenarios) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: platform.baseUrl });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const started = Date.now();
    try {
      await s.run({ page, context, browser, baseUrl: platform.baseUrl, screenshots });
      // An uncaught exception in the page is a failure even when the visible checks passed.
      if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join(' | ')}`);
      passed += 1;
      console.log(`  ✓ ${s.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`  ✗ ${s.name} (${Date.now() - started} ms)\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
      await page.screenshot({ path: path.join(screenshots, `FAILED-${s.name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => undefined);
    } finally {
      await context.close();
    }
  }
} catch (e) {
  failed += 1;
  console.error(String(e?.stack ?? e));
} finally {
  await browser?.close();
  await platform?.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
