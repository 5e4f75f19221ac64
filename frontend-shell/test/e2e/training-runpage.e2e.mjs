import { randomUUID } from 'node:crypto';
import { api, apiLogin, assert, assertEqual, emailFor, shot, uiLogin } from './helpers.mjs';

// The training run page (plugins/training/src/ui/run-page): its host, the Overview and Charts tabs,
// and the kit's panels they draw with. Waits are on conditions: a panel sets data-drawn when
// ECharts has painted, and data-x-kind / data-last-x / data-points / data-marks say what it drew.

const ML = emailFor('ML_ENGINEER');
const panel = (page, metric) => page.locator(`.panel-timeseries[data-metric="${metric}"]`);

async function runIdOf(baseUrl, token, name) {
  const list = await api(baseUrl, token, 'GET', `/runs?page_size=100&q=${encodeURIComponent(name)}`);
  const run = list.body.items.find((r) => r.name === name);
  assert(run, `demo run ${name} exists (GET /runs answered ${list.status})`);
  return run.id;
}

/** Waits until the metric's panel has painted data that satisfies `check(dataset)` (run in the page: no closures). */
async function waitPanel(page, metric, check = () => true, what = 'drawn') {
  const handle = await page
    .waitForFunction(
      ([m, src]) => {
        const el = document.querySelector(`.panel-timeseries[data-metric="${m}"]`);
        if (!el || el.dataset.drawn !== 'true') return false;
        // eslint-disable-next-line no-new-func
        return new Function('d', `return (${src})(d)`)(el.dataset) ? { ...el.dataset } : false;
      },
      [metric, check.toString()],
      { timeout: 20_000 },
    )
    .catch(async () => {
      const now = await page.locator(`.panel-timeseries[data-metric="${metric}"]`).evaluate((el) => ({ ...el.dataset })).catch(() => 'no panel');
      throw new Error(`panel ${metric}: ${what} (it shows ${JSON.stringify(now)})`);
    });
  return handle.jsonValue();
}

/** Sends one ingest batch as the signed-in ML engineer (a session may ingest). */
async function ingest(baseUrl, token, run, body) {
  const res = await api(baseUrl, token, 'POST', '/ingest/batch', { batch_id: randomUUID(), run, ...body });
  assert(res.status === 202, `ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const plotPixels = (page, metric) => panel(page, metric).locator('.chart-plot canvas').first().screenshot();

export const tests = [
  {
    name: 'run page: Charts draws loss and accuracy; step / epoch / time change the x values; smoothing redraws; settings survive a reload',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const id = await runIdOf(baseUrl, access_token, 'bert-finetune-ab-b');
      await uiLogin(page, ML);
      await page.goto(`/training/runs/${id}?tab=charts`);
      await page.getByRole('heading', { name: 'bert-finetune-ab-b' }).waitFor();
      assert(await page.locator('.time-slot').isHidden(), 'the time-range picker is hidden on the run page');
      const step = await waitPanel(page, 'loss', (d) => d.xKind === 'step', 'drawn over step');
      await waitPanel(page, 'accuracy');
      assert(Number(step.lastX) >= 2900 && Number(step.points) > 100, `loss over step reaches step ~3000 (${step.lastX}, ${step.points} points)`);
      const label = await panel(page, 'loss').locator('.chart-plot').getAttribute('aria-label');
      assert(/loss over step/.test(label), `the plot says what it shows (${label})`);
      assert(await page.getByRole('heading', { name: /^System/ }).count(), 'system metrics (gpu_*) have their own section');

      await page.getByRole('button', { name: 'Epoch', exact: true }).click();
      const epoch = await waitPanel(page, 'loss', (d) => d.xKind === 'epoch', 'redrawn over epoch');
      assert(Number(epoch.lastX) <= 10, `over epoch the last x is an epoch number (${epoch.lastX})`);
      await page.getByRole('button', { name: 'Time', exact: true }).click();
      const time = await waitPanel(page, 'loss', (d) => d.xKind === 'time', 'redrawn over time');
      assert(Number(time.lastX) > Date.parse('2020-01-01'), `over time the last x is a timestamp (${time.lastX})`);
      assertEqual(new URL(page.url()).searchParams.get('x'), 'time', 'the x axis is in the URL');

      const before = await plotPixels(page, 'loss');
      await page.getByLabel('Smoothing (EMA weight)').fill('0.9');
      await waitPanel(page, 'loss', (d) => d.smoothing === '0.9', 'smoothed');
      const after = await plotPixels(page, 'loss');
      assert(!before.equals(after), 'smoothing changes the drawn curve');
      assert(/smoothed 0\.9/.test(await panel(page, 'loss').locator('.chart-plot').getAttribute('aria-label')), 'the plot label says it is smoothed');
      await page.getByLabel('Log scale').check();
      await waitPanel(page, 'loss', (d) => d.scale === 'log', 'on a log scale');

      await page.reload();
      await waitPanel(page, 'loss', (d) => d.xKind === 'time' && d.smoothing === '0.9' && d.scale === 'log', 'restored from the URL');
      assertEqual(await page.getByLabel('Smoothing (EMA weight)').inputValue(), '0.9', 'the slider is restored');
    },
  },
  {
    name: 'run page: a moment in the URL (at=, as a log line links it) is a marker on every chart, on step and on time; removing it clears them',
    async run({ page, baseUrl, screenshots }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const id = await runIdOf(baseUrl, access_token, 'bert-finetune-ab-b');
      const logs = await api(baseUrl, access_token, 'GET', `/runs/${id}/logs?limit=50`);
      assert(logs.status === 200 && logs.body.items.length > 10, `the demo run has log lines (${logs.status})`);
      const line = logs.body.items[Math.floor(logs.body.items.length / 2)];
      const at = Number(line.ts);
      await uiLogin(page, ML);
      await page.goto(`/training/runs/${id}?tab=charts&at=${at}`);
      const charts = page.locator('.panel-timeseries');
      await waitPanel(page, 'loss', (d) => d.xKind === 'step' && !!d.markers, 'drawn over step with a marker');
      await page.waitForFunction(() => [...document.querySelectorAll('.panel-timeseries')].every((el) => el.dataset.drawn === 'true' && el.dataset.markers), null, { timeout: 20_000 });
      const count = await charts.count();
      assert(count >= 4, `several charts are drawn (${count})`);
      const stepMarks = await charts.evaluateAll((els) => els.map((el) => Number(el.dataset.markers)));
      assert(stepMarks.every((x) => Number.isInteger(x) && x >= 0 && x <= 3000), `on the step axis each marker is a step of the run (${stepMarks})`);
      const loss = await waitPanel(page, 'loss');
      assert(Number(loss.markers) < Number(loss.lastX), `the marker of a mid-run line sits before the last step (${loss.markers} < ${loss.lastX})`);
      await shot(page, screenshots, 'light-training-run-charts-marker');

      await page.getByRole('button', { name: 'Time', exact: true }).click();
      await page.waitForFunction(
        (t) => [...document.querySelectorAll('.panel-timeseries')].every((el) => el.dataset.xKind === 'time' && el.dataset.drawn === 'true' && el.dataset.markers === String(t)),
        at,
        { timeout: 20_000 },
      );
      assertEqual(new URL(page.url()).searchParams.get('at'), String(at), 'the moment stays in the URL when the axis changes');

      // Removing `at` from the URL (as Back would) takes the markers away without a reload.
      await page.evaluate(() => {
        const url = new URL(location.href);
        url.searchParams.delete('at');
        history.pushState(null, '', url);
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.waitForFunction(() => [...document.querySelectorAll('.panel-timeseries')].every((el) => el.dataset.markers === ''), null, { timeout: 20_000 });
    },
  },
  {
    name: 'run page: drag-to-zoom re-queries the zoomed range and finer points appear; the band keeps the spike',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const id = await runIdOf(baseUrl, access_token, 'bert-finetune-ab-b');
      await uiLogin(page, ML);
      await page.goto(`/training/runs/${id}?tab=charts`);
      const full = await waitPanel(page, 'loss', (d) => d.xKind === 'step');
      const whole = await api(baseUrl, access_token, 'GET', `/runs/${id}/metrics?name=loss&by=step&points=600`);
      assert(whole.body.exact === false, 'the whole loss series comes downsampled');
      // The spike of run B (9.5 at step 1730) lives in the band's max even where the mean dilutes it.
      assert(whole.body.buckets.some((b) => b.max >= 9), 'a bucket keeps the spike as its max');

      const box = await panel(page, 'loss').locator('.chart-plot').boundingBox();
      const zoomAnswer = page.waitForResponse((r) => r.url().includes('/metrics?') && r.url().includes('name=loss') && r.url().includes('from='));
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      const zoomResponse = await zoomAnswer;
      const answer = await zoomResponse.json();
      assert(zoomResponse.ok(), `the zoomed query answered ${zoomResponse.status()} ${JSON.stringify(answer)} (${zoomResponse.url()})`);
      assert(answer.exact === true, `the zoomed range comes back point by point (${answer.buckets.length} buckets)`);
      const zoomed = await waitPanel(page, 'loss', (d) => d.lastX !== undefined && Number(d.points) > 0 && d.points !== String(600), 'redrawn with the zoomed points');
      const first = answer.buckets[0].x;
      const last = answer.buckets.at(-1).x;
      assert(first > 0 && last < Number(full.lastX), `only the zoomed range was fetched (${first}–${last})`);
      assert(answer.buckets.length / (last - first + 1) > 600 / 3000, 'the zoomed points are finer than the whole series');
      assertEqual(Number(zoomed.points), answer.buckets.length, 'the panel draws every point of the answer');
      // The grid's panels share the zoom (as they share the crosshair): accuracy followed.
      const accuracy = await waitPanel(page, 'accuracy', (d) => Number(d.lastX) < 2900, 'zoomed with loss');
      assert(Number(accuracy.lastX) <= last + 1, `accuracy shows the same range (${accuracy.lastX})`);
      await panel(page, 'loss').getByRole('button', { name: 'Reset zoom' }).click();
      await waitPanel(page, 'loss', (d) => Number(d.lastX) >= 2900, 'back to the whole run');
      await waitPanel(page, 'accuracy', (d) => Number(d.lastX) >= 2900, 'accuracy back to the whole run');
      assert((await page.getByRole('button', { name: 'Reset zoom' }).count()) === 0, 'no Reset zoom button is left');
    },
  },
  {
    name: 'run page: NaN and Infinity are marked, and points ingested while the page is open are appended live',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const run = { client_run_id: `e2e-live-${randomUUID()}`, project: 'e2e', name: 'e2e-live-run', framework: 'pytorch', status: 'running' };
      const t0 = Date.now() - 60_000;
      const metrics = [];
      for (let step = 0; step < 40; step++) {
        const value = step === 12 ? 'NaN' : step === 20 ? 'Infinity' : 1 / (step + 1);
        metrics.push({ name: 'loss', value, step, epoch: Math.floor(step / 10), ts: t0 + step * 1000 });
        metrics.push({ name: 'accuracy', value: step / 40, step, epoch: Math.floor(step / 10), ts: t0 + step * 1000 });
      }
      const { run_id } = await ingest(baseUrl, access_token, run, { metrics });
      await uiLogin(page, ML);
      await page.goto(`/training/runs/${run_id}?tab=charts`);
      const drawn = await waitPanel(page, 'loss', (d) => d.marks === '2', 'NaN and +Inf marked');
      assertEqual(drawn.lastX, '39', 'the last step drawn');
      assert(/2 NaN or infinite values marked/.test(await panel(page, 'loss').locator('.chart-plot').getAttribute('aria-label')), 'the plot label names the marked values');

      for (let step = 40; step < 45; step++) {
        await ingest(baseUrl, access_token, run, { metrics: [{ name: 'loss', value: 0.01, step, epoch: 4, ts: t0 + step * 1000 }] });
      }
      await waitPanel(page, 'loss', (d) => d.drawnLastX === '44', 'appended live up to step 44');
      // The Overview's stat card follows the newest value too.
      await page.getByRole('tab', { name: 'Overview' }).click();
      const lossStat = page.locator('.run-overview .stat', { has: page.locator('.stat-label', { hasText: /^loss$/ }) }).locator('.stat-value');
      await lossStat.waitFor();
      await ingest(baseUrl, access_token, run, { metrics: [{ name: 'loss', value: 0.0042, step: 45, epoch: 4, ts: t0 + 45_000 }] });
      await page.waitForFunction((el) => el.textContent.startsWith('0.0042'), await lossStat.elementHandle(), { timeout: 15_000 });
      // A status change re-reads the run: the header's chip follows.
      await ingest(baseUrl, access_token, { ...run, status: 'finished', ended_at: Date.now() }, {});
      await page.locator('.run-header .run-status[data-status="finished"]').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'run page: tabs in the URL and by keyboard; an unknown or other tenant\'s run says not found',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const id = await runIdOf(baseUrl, access_token, 'bert-finetune-ab-a');
      await uiLogin(page, ML);
      await page.goto(`/training/runs/${id}`);
      const overview = page.getByRole('tab', { name: 'Overview' });
      await overview.waitFor();
      assertEqual(await overview.getAttribute('aria-selected'), 'true', 'Overview opens first');
      await page.getByRole('heading', { name: 'Summary metrics' }).waitFor();
      await page.locator('.run-overview .stat-label', { hasText: /^loss$/ }).waitFor();
      await page.getByText('batch_size').waitFor();
      await page.locator('.run-overview .log-viewer, .run-overview .log-line').first().waitFor();
      await page.getByText('checkpoint_saved').first().waitFor();
      await overview.focus();
      await page.keyboard.press('ArrowRight');
      const charts = page.getByRole('tab', { name: 'Charts' });
      await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'charts');
      assertEqual(await charts.getAttribute('aria-selected'), 'true', 'ArrowRight selects Charts');
      assert(await charts.evaluate((el) => el === document.activeElement), 'focus moves with the selection');
      assertEqual(await overview.getAttribute('tabindex'), '-1', 'only the selected tab is in the Tab order');
      await waitPanel(page, 'loss');
      await page.keyboard.press('ArrowLeft');
      await page.getByRole('heading', { name: 'Summary metrics' }).waitFor();
      await page.goBack();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'charts');
      await waitPanel(page, 'loss');

      await page.goto('/training/runs/00000000-0000-4000-8000-000000000000');
      await page.getByText('Run not found').waitFor();
      await page.getByRole('button', { name: 'Back to runs' }).click();
      await page.waitForURL(/\/training\/runs$/);

      // beta-tenant's user opening a demo-tenant run by URL learns nothing about it.
      await page.context().clearCookies();
      await page.evaluate(() => localStorage.clear());
      await uiLogin(page, emailFor('ML_ENGINEER', 'beta-tenant'));
      await page.goto(`/training/runs/${id}`);
      await page.getByText('Run not found').waitFor();
      assert(!(await page.getByText('bert-finetune-ab-a').count()), 'no trace of the other tenant\'s run');
    },
  },
  {
    name: 'run page: screenshots of Overview and Charts in both themes',
    async run({ page, baseUrl, screenshots }) {
      const { access_token } = await apiLogin(baseUrl, ML);
      const id = await runIdOf(baseUrl, access_token, 'bert-finetune-ab-b');
      await uiLogin(page, ML);
      for (const theme of ['light', 'dark']) {
        await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme });
        await page.goto(`/training/runs/${id}?tab=overview`);
        await page.locator('.run-overview .run-event-list').waitFor();
        await shot(page, screenshots, `${theme}-training-run-overview`);
        await page.goto(`/training/runs/${id}?tab=charts&smoothing=0.6`);
        await waitPanel(page, 'loss');
        await waitPanel(page, 'accuracy');
        await shot(page, screenshots, `${theme}-training-run-charts`);
      }
      await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme: 'light' });
    },
  },
];
