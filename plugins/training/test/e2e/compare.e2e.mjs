import { api, apiLogin, assert, assertEqual, emailFor, settle, shot, uiLogin } from '../../../../frontend-shell/test/e2e/helpers.mjs';

// Compare (/training/compare) and the run page's Replay tab on the demo A/B pair.

async function demoPair(baseUrl) {
  const { access_token } = await apiLogin(baseUrl, emailFor('ML_ENGINEER'));
  const list = await api(baseUrl, access_token, 'GET', '/runs?project=nlp-abtest&sort=name');
  const a = list.body.items.find((r) => r.name === 'bert-finetune-ab-a');
  const b = list.body.items.find((r) => r.name === 'bert-finetune-ab-b');
  assert(a && b, `the demo A/B pair is listed (got ${list.body.items.map((r) => r.name).join(', ')})`);
  return { token: access_token, a, b };
}

/** Every chart of the page has painted and none is loading. */
async function chartsDrawn(page) {
  await page.waitForFunction(() => {
    const grid = document.querySelector('.cmp-chart-grid');
    const charts = [...document.querySelectorAll('.cmp-chart-grid .panel-timeseries')];
    return grid && !grid.hasAttribute('aria-busy') && charts.length > 0 && charts.every((c) => c.dataset.drawn === 'true');
  }, undefined, { timeout: 20_000 });
}

const deltaOf = (page, metric, runId, stat = 'last') =>
  page.locator(`.cmp-metrics-card tr[data-key="${metric}|${runId}"] td`).nth({ last: 3, min: 5, max: 7 }[stat]).innerText();

export const tests = [
  {
    name: 'compare: the A/B pair draws two series per chart, the params diff and deltas; baseline and reload',
    async run({ page, baseUrl }) {
      const { a, b } = await demoPair(baseUrl);
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, `/training/compare?runs=${a.id},${b.id}`);
      await chartsDrawn(page);
      const charts = page.locator('.cmp-chart-grid .panel-timeseries');
      assertEqual(await charts.count(), 11, 'one chart per demo metric');
      const legends = await charts.evaluateAll((els) => els.map((el) => [...el.querySelectorAll('.legend-item')].map((i) => i.textContent.trim())));
      for (const legend of legends) assertEqual(legend, ['bert-finetune-ab-a', 'bert-finetune-ab-b'], 'each chart overlays both runs');
      // Both runs have their own colour, the same in the legend and in the run chips.
      const swatches = await page.locator('.cmp-chip .cmp-swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
      assert(swatches.length === 2 && swatches[0] !== swatches[1], `two distinct run colours (got ${swatches})`);

      // Params: lr differs and is highlighted, batch_size is the same.
      const lr = page.locator(`.cmp-params-card tr[data-key="lr"]`);
      assert(await lr.locator('.cmp-differs').count() === 1, 'lr is marked as differing');
      assert(await page.locator(`.cmp-params-card tr[data-key="batch_size"] .cmp-differs`).count() === 0, 'batch_size is not marked');
      const highlight = await lr.evaluate((tr) => getComputedStyle(tr).backgroundColor);
      const plain = await page.locator(`.cmp-params-card tr[data-key="batch_size"]`).evaluate((tr) => getComputedStyle(tr).backgroundColor);
      assert(highlight !== plain, `the differing row is highlighted (${highlight} vs ${plain})`);
      await page.getByLabel('Only differences').check();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('diff') === 'only');
      await page.locator('.cmp-params-card tr[data-key="batch_size"]').waitFor({ state: 'detached' });
      assertEqual(await page.locator('.cmp-params-card tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => r.dataset.key)), ['lr'], 'only the differing key is left');

      // Deltas vs the baseline (a): b's loss delta is shown, a is the baseline.
      assertEqual((await deltaOf(page, 'loss', a.id)).trim(), 'baseline', 'the first run is the baseline');
      const bDelta = await deltaOf(page, 'loss', b.id);
      assert(/^[+-]\d/.test(bDelta), `b's loss has a delta vs a (got "${bDelta}")`);

      // Choosing b as baseline turns the sign around and lands in the URL.
      await page.locator(`.cmp-chip[data-run="${b.id}"]`).getByRole('button', { name: 'Set as baseline' }).click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('baseline') === id, b.id);
      await page.locator(`.cmp-metrics-card tr[data-key="loss|${b.id}"]`).getByText('baseline').first().waitFor();
      const aDelta = await deltaOf(page, 'loss', a.id);
      assert(/^[+-]\d/.test(aDelta) && aDelta[0] !== bDelta[0], `a's delta vs b has the opposite sign (${aDelta} vs ${bDelta})`);

      // Axis switch goes to the URL; reload keeps runs, baseline, axis and the diff toggle.
      await page.getByRole('group', { name: 'X axis' }).getByRole('button', { name: 'Epoch' }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('by') === 'epoch');
      await chartsDrawn(page);
      await page.reload();
      await settle(page);
      await chartsDrawn(page);
      assertEqual(await page.locator('.cmp-chip').evaluateAll((els) => els.map((e) => e.dataset.run)), [a.id, b.id], 'both runs are still compared');
      assert(await page.locator(`.cmp-chip[data-run="${b.id}"].is-baseline`).count() === 1, 'b is still the baseline');
      assertEqual(await page.getByRole('group', { name: 'X axis' }).getByRole('button', { pressed: true }).innerText(), 'Epoch', 'the epoch axis is kept');
      assert(await page.getByLabel('Only differences').isChecked(), 'the diff toggle is kept');

      // Remove a run, add it back through the picker.
      await page.getByRole('button', { name: `Remove bert-finetune-ab-a from the comparison` }).click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('runs') === id, b.id);
      await page.getByRole('combobox', { name: 'Add a run to the comparison' }).fill('ab-a');
      await page.getByRole('option', { name: /bert-finetune-ab-a/ }).click();
      await page.waitForFunction((ids) => new URL(location.href).searchParams.get('runs') === ids, `${b.id},${a.id}`);
      await chartsDrawn(page);
    },
  },
  {
    name: 'compare: a beta-tenant user cannot compare the demo runs',
    async run({ page, baseUrl }) {
      const { a, b } = await demoPair(baseUrl);
      const beta = await apiLogin(baseUrl, emailFor('ML_ENGINEER', 'beta-tenant'));
      const answer = await api(baseUrl, beta.access_token, 'GET', `/runs/compare?ids=${a.id},${b.id}&name=loss`);
      assertEqual(answer.status, 404, 'the compare API answers 404 for another tenant\'s runs');
      assert(!JSON.stringify(answer.body).includes('bert'), 'the answer names no demo run');
      await uiLogin(page, emailFor('ML_ENGINEER', 'beta-tenant'), undefined, `/training/compare?runs=${a.id},${b.id}`);
      await page.getByText('None of these runs can be opened').waitFor();
      assert(!(await page.locator('.cmp-page').innerText()).includes('bert-finetune'), 'no demo run name shows');
      // The picker searches the beta tenant's runs only.
      await page.getByRole('combobox', { name: 'Add a run to the comparison' }).fill('bert');
      await page.getByText('No other run matches').waitFor();
    },
  },
  {
    name: 'replay: the at= moment opens with its logs and events, play advances the cursor, pause keeps the moment',
    async run({ page, baseUrl }) {
      const { b } = await demoPair(baseUrl);
      // The demo's loss spike of run b is at step 1730, 1.2 s a step.
      const spike = Date.parse(b.started_at) + 1730 * 1200;
      const at = spike + 2000;
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, `/training/runs/${b.id}?tab=replay&at=${at}`);
      const replay = page.locator('.replay');
      await replay.waitFor();
      assertEqual(Number(await replay.getAttribute('data-at')), at, 'the cursor is at the URL moment');
      await page.locator('.replay .log-line', { hasText: 'loss spike at step 1730' }).waitFor({ timeout: 15_000 });
      await page.locator('.replay-event.is-current', { hasText: 'loss_spike' }).waitFor();
      assert(await page.locator('.replay-event.is-future', { hasText: 'checkpoint_saved' }).count() >= 1, 'the next checkpoint is shown as coming');
      await page.locator('.replay-mark').first().waitFor({ state: 'attached' });
      await settle(page);

      // Next event: the cursor jumps to the next checkpoint and the URL follows.
      await page.getByRole('button', { name: 'Next event ›' }).click();
      const jumped = Number(await replay.getAttribute('data-at'));
      assert(jumped > at, `next event moves the cursor forward (${jumped} > ${at})`);
      await page.waitForFunction((t) => new URL(location.href).searchParams.get('at') === String(t), jumped);

      // Play at 600×: the cursor moves on; pause writes the moment into the URL.
      await page.getByRole('group', { name: 'Speed' }).getByRole('button', { name: '600×' }).click();
      await page.locator('.replay-play', { hasText: 'Play' }).click();
      await page.waitForFunction((t) => Number(document.querySelector('.replay')?.dataset.at) > t + 60_000, jumped, { timeout: 15_000 });
      await page.locator('.replay-play', { hasText: 'Pause' }).click();
      const paused = Number(await replay.getAttribute('data-at'));
      await page.waitForFunction((t) => new URL(location.href).searchParams.get('at') === String(t), paused);
      assertEqual(new URL(page.url()).searchParams.get('speed'), '600', 'the speed is in the URL');
      // The logs followed the cursor: the epoch-6 line (step 1799) is passed by now.
      await page.locator('.replay .log-line', { hasText: 'epoch 6 done' }).waitFor();
      // Keys: J goes back to the previous event.
      await page.locator('.replay-slider').focus();
      await page.keyboard.press('j');
      await page.waitForFunction((t) => Number(document.querySelector('.replay')?.dataset.at) < t, paused);
    },
  },
  {
    name: 'screenshots of Compare and Replay in both themes',
    async run({ page, baseUrl, screenshots }) {
      const { token, a, b } = await demoPair(baseUrl);
      await uiLogin(page, emailFor('ML_ENGINEER'));
      const spike = Date.parse(b.started_at) + 1730 * 1200 + 2000;
      for (const theme of ['light', 'dark']) {
        await api(baseUrl, token, 'PUT', '/me/preferences', { theme });
        await page.goto(`/training/compare?runs=${a.id},${b.id}`);
        await settle(page);
        await chartsDrawn(page);
        await shot(page, screenshots, `${theme}-training-compare`);
        await page.locator('.cmp-params-card').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await shot(page, screenshots, `${theme}-training-compare-tables`);
        await page.goto(`/training/runs/${b.id}?tab=replay&at=${spike}`);
        await page.locator('.replay .log-line').first().waitFor();
        await settle(page);
        await shot(page, screenshots, `${theme}-training-replay`);
        await page.locator('.replay-events-box').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await shot(page, screenshots, `${theme}-training-replay-lists`);
      }
      await api(baseUrl, token, 'PUT', '/me/preferences', { theme: 'light' });
    },
  },
];
