// The SDK's own example (monitor-sdk/python/examples/train_demo.py), run for real against the platform
// with a step delay, watched in the browser while it trains: the run arrives in the runs list without a
// reload, its charts and logs grow, and its status turns finished when the script ends.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, apiLogin, assert, assertEqual, emailFor, uiLogin } from '../../../../frontend-shell/test/e2e/helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const EXAMPLE = path.join(ROOT, 'monitor-sdk/python/examples/train_demo.py');
const ML = emailFor('ML_ENGINEER');

/** Starts the example; resolves `done` with its exit code and keeps its output for a failure message. */
function startExample(baseUrl, token, runName) {
  const child = spawn(
    process.env.PYTHON ?? 'python3',
    [EXAMPLE, '--url', baseUrl, '--token', token, '--project', 'e2e-live-example', '--run-name', runName,
      '--epochs', '4', '--samples', '1600', '--step-delay', '0.12'],
    { env: { ...process.env, PYTHONPATH: path.join(ROOT, 'monitor-sdk/python/src'), PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, output: () => output };
}

const dataset = (locator) => locator.evaluate((el) => ({ ...el.dataset }));

export const tests = [
  {
    name: 'live: the SDK example script run for real — its run appears in the list, charts append, logs grow, status turns finished',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const minted = await api(baseUrl, access_token, 'POST', '/auth/api-token', { name: `e2e live ${randomUUID()}`, scopes: ['ingest', 'read'] });
      assertEqual(minted.status, 201, 'minting an ingest token as ml_engineer');
      const runName = `live-example-${randomUUID().slice(0, 8)}`;

      await uiLogin(page, ML, undefined, '/training/runs');
      await page.locator('.data-table tbody tr[data-key]').first().waitFor();
      const example = startExample(baseUrl, minted.body.secret, runName);
      try {
        // The runs list is already open: the new run must arrive over its live stream, not a reload.
        const row = page.locator('.data-table tbody tr[data-key]', { hasText: runName });
        await row.waitFor({ timeout: 30_000 }).catch(() => {
          throw new Error(`the run did not appear live in the runs list (script said: ${example.output().slice(-400)})`);
        });
        const list = await api(baseUrl, access_token, 'GET', `/runs?page_size=20&q=${encodeURIComponent(runName)}`);
        const run = list.body.items.find((r) => r.name === runName);
        assert(run, `GET /runs finds ${runName}`);
        assertEqual(run.status, 'running', 'the run is running while the script trains');

        await page.goto(`/training/runs/${run.id}?tab=charts`);
        const lr = page.locator('.panel-timeseries[data-metric="lr"]');
        await page.waitForFunction(() => document.querySelector('.panel-timeseries[data-metric="lr"]')?.dataset.drawn === 'true' && Number(document.querySelector('.panel-timeseries[data-metric="lr"]').dataset.points) > 0, null, { timeout: 30_000 });
        const first = await dataset(lr);
        await page.waitForFunction(
          ([points, lastX]) => {
            const d = document.querySelector('.panel-timeseries[data-metric="lr"]')?.dataset;
            return d && Number(d.points) > points && Number(d.lastX) > lastX;
          },
          [Number(first.points), Number(first.lastX)],
          { timeout: 30_000 },
        ).catch(async () => {
          throw new Error(`the lr chart did not grow live (first ${JSON.stringify(first)}, now ${JSON.stringify(await dataset(lr))})`);
        });

        await page.getByRole('tab', { name: 'Logs' }).click();
        const lines = page.locator('.log-lines .log-line');
        await lines.first().waitFor({ timeout: 30_000 });
        const before = await lines.count();
        await page.waitForFunction((n) => document.querySelectorAll('.log-lines .log-line').length > n, before, { timeout: 60_000 }).catch(async () => {
          throw new Error(`no new log lines arrived (${before} before, ${await lines.count()} now)`);
        });
        assert(await page.locator('.log-lines', { hasText: /epoch \d+\s+train_loss/ }).count(), 'the script\'s epoch lines are on the Logs tab');

        const code = await example.done;
        assertEqual(code, 0, `the example script exits cleanly (${example.output().slice(-400)})`);
        await page.locator('.run-title-row .run-status[data-status="finished"]').waitFor({ timeout: 30_000 });
      } finally {
        if (example.child.exitCode === null) example.child.kill();
      }
    },
  },
];
