// End-to-end tests of the web console: starts the platform exactly as README's first command does
// (node core/dist/main.js, demo data on) on free ports with a throw-away data directory, waits for
// /readyz, runs every frontend-shell/test/e2e/*.e2e.mjs and plugins/*/test/e2e/*.e2e.mjs scenario
// (a plugin keeps its browser tests beside its own code) in headless Chromium, prints
// `N passed, N failed`, stops the server and exits non-zero on any failure. It builds nothing:
// run `npm run build` first.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPlatform } from '../frontend-shell/test/e2e/platform.mjs';

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

// The shell's scenarios first, then each plugin's, in name order; a scenario's `file` is its path from the
// repository root so a name filter can pick a plugin (`node scripts/e2e.mjs plugins/training`).
function scenarioFiles() {
  const dirs = [path.join('frontend-shell', 'test', 'e2e')];
  for (const plugin of readdirSync(path.join(root, 'plugins')).sort()) {
    const dir = path.join('plugins', plugin, 'test', 'e2e');
    if (existsSync(path.join(root, dir))) dirs.push(dir);
  }
  return dirs.flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.e2e.mjs'))
      .sort()
      .map((f) => path.join(dir, f)),
  );
}

async function loadScenarios() {
  const scenarios = [];
  for (const f of scenarioFiles()) {
    const mod = await import(pathToFileURL(path.join(root, f)).href);
    for (const t of mod.tests ?? []) scenarios.push({ ...t, file: f });
  }
  return scenarios.filter((s) => only.length === 0 || only.some((o) => s.file.includes(o) || s.name.includes(o)));
}

const scenarios = await loadScenarios();
mkdirSync(screenshots, { recursive: true });
// Failure screenshots of an earlier run would read as failures of this one.
for (const f of readdirSync(screenshots)) if (f.startsWith('FAILED-')) rmSync(path.join(screenshots, f));
let platform;
let browser;
let passed = 0;
let failed = 0;
try {
  platform = await startPlatform();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
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
