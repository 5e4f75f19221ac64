// The run page's Logs, Traces, Events and Artifacts tabs on the demo runs, and a live run fed through
// the ingest API while the page watches it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { contrastTools, pageTexts } from './contrast.e2e.mjs';
import { api, apiLogin, assert, assertEqual, emailFor, shot, uiLogin } from './helpers.mjs';

const ENGINEER = emailFor('ML_ENGINEER');

async function demoRun(baseUrl, token, name) {
  const list = await api(baseUrl, token, 'GET', `/runs?page_size=100`);
  const run = list.body.items.find((r) => r.name === name);
  assert(run, `demo run ${name} is listed (got ${list.body.items.map((r) => r.name).join(', ')})`);
  return run;
}

/** An ingest token of the ML engineer, and a function that sends one batch of a live run. */
async function ingester(baseUrl, token, clientRunId) {
  const minted = await api(baseUrl, token, 'POST', '/auth/api-token', { name: `e2e ${clientRunId}`, scopes: ['ingest'], expires_in_days: 1 });
  assertEqual(minted.status, 201, 'minting an ingest token');
  let n = 0;
  return async (logs) => {
    n += 1;
    const res = await api(baseUrl, minted.body.secret, 'POST', '/ingest/batch', {
      batch_id: `${clientRunId}-${n}`, run: { client_run_id: clientRunId, project: 'e2e-live', name: clientRunId, status: 'running', started_at: Date.now() - 60_000 },
      logs: logs.map((l) => ({ ts: Date.now(), level: 'info', ...l })),
    });
    assertEqual(res.status, 202, `ingest batch ${n} (${JSON.stringify(res.body)})`);
    return res.body;
  };
}

const lines = (page) => page.locator('.log-lines .log-line');

// No settle(): the page keeps live streams open, so the network is never idle; each step waits on
// what it needs to see instead.
async function openTab(page, runId, tab, extra = '') {
  await page.goto(`/training/runs/${runId}?tab=${tab}${extra}`);
  await page.locator('[role="tabpanel"] > *, .state-empty, .state-error').first().waitFor();
}

export const tests = [
  {
    name: 'run logs: the stream carries the bearer header (no token in the URL) and, after the network drops, resumes from the last line: nothing lost, nothing twice',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      await uiLogin(page, ENGINEER);
      const send = await ingester(baseUrl, access_token, `e2e-resume-${Date.now()}`);
      const first = await send([{ message: 'before the drop' }]);
      // Chromium's offline mode keeps an open stream open, so the drop is made in the page: event
      // streams are passed through a body the test can break, as a lost connection breaks it.
      await page.addInitScript(() => {
        const realFetch = window.fetch.bind(window);
        const open = [];
        window.__dropStreams = () => { for (const drop of open.splice(0)) drop(); };
        window.fetch = async (...args) => {
          const res = await realFetch(...args);
          if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) return res;
          const reader = res.body.getReader();
          let broken = false;
          let controller;
          const body = new ReadableStream({
            start(c) { controller = c; },
            async pull(c) {
              const { value, done } = await reader.read().catch(() => ({ done: true }));
              if (broken) return;
              if (done) c.close(); else c.enqueue(value);
            },
            cancel(reason) { void reader.cancel(reason); },
          });
          open.push(() => { broken = true; controller.error(new TypeError('network error')); void reader.cancel(); });
          return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
        };
      });
      const streams = [];
      page.on('request', (r) => { if (r.url().includes('/logs?') && r.url().includes('follow=true')) streams.push(r); });
      await openTab(page, first.run_id, 'logs');
      await page.locator('.obs-live[data-state="live"]').waitFor({ timeout: 15_000 });
      await page.locator('.log-line', { hasText: 'before the drop' }).waitFor();
      assert(streams.length >= 1, 'the logs stream was requested');
      const opened = streams[0];
      assert((await opened.headerValue('authorization'))?.startsWith('Bearer '), 'the stream sends the bearer header');
      assert((await opened.headerValue('accept'))?.includes('text/event-stream'), 'the stream asks for text/event-stream');
      assert(!/access_token|token=/.test(opened.url()), `no token in the stream URL (${opened.url()})`);
      assertEqual(await opened.headerValue('last-event-id'), null, 'the first connect resumes from nothing');

      await page.context().setOffline(true);
      await page.evaluate(() => window.__dropStreams());
      await page.locator('.obs-live', { hasText: 'Reconnecting…' }).waitFor({ timeout: 15_000 });
      await send([{ message: 'written while offline' }]);
      await page.context().setOffline(false);
      await page.locator('.log-line', { hasText: 'written while offline' }).waitFor({ timeout: 20_000 });
      await page.locator('.obs-live[data-state="live"]').waitFor({ timeout: 15_000 });
      const resumed = streams.at(-1);
      assert(resumed !== opened, 'a new stream was opened');
      assert(Boolean(await resumed.headerValue('last-event-id')), 'the reconnect sends Last-Event-ID');
      assertEqual(await page.locator('.log-line', { hasText: 'before the drop' }).count(), 1, 'the line before the drop is shown once');
      assertEqual(await page.locator('.log-line', { hasText: 'written while offline' }).count(), 1, 'the line written while offline is shown once');
    },
  },
  {
    name: 'run logs: demo lines, live append, pause on scroll-up and jump to live, level filter, search, bad query, JSON line, at= mark',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const b = await demoRun(baseUrl, access_token, 'bert-finetune-ab-b');
      await uiLogin(page, ENGINEER);

      await openTab(page, b.id, 'logs');
      await page.locator('.obs-live[data-state="live"]').waitFor({ timeout: 15_000 });
      await page.locator('.log-line', { hasText: 'epoch 1 done' }).waitFor();
      assertEqual(await lines(page).count(), 13, 'demo run B shows its 13 lines (load, 10 epochs, the spike, finished)');

      // Level filter: only the spike's warning is WARN or above.
      await page.getByLabel('Least level shown').selectOption('warn');
      await page.locator('.log-line', { hasText: 'loss spike' }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.log-lines .log-line').length === 1);
      assert(new URL(page.url()).searchParams.get('level') === 'warn', 'the level is kept in the URL');
      await page.getByLabel('Least level shown').selectOption('');
      await page.waitForFunction(() => document.querySelectorAll('.log-lines .log-line').length === 13);

      // A phrase search narrows the lines and marks the words.
      await page.getByLabel('Search the logs').fill('"epoch 3"');
      await page.getByLabel('Search the logs').press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('.log-lines .log-line').length === 1);
      assertEqual(await page.locator('.log-line mark').first().textContent(), 'epoch 3', 'the searched phrase is highlighted');

      // A query the logs port cannot read says where.
      await page.getByLabel('Search the logs').fill('epoch AND (loss');
      await page.getByLabel('Search the logs').press('Enter');
      const fault = page.locator('.obs-query-error');
      await fault.waitFor();
      const faultText = await fault.textContent();
      assert(/cannot be read/.test(faultText) && /character \d+/.test(faultText), `the query error names its position: ${faultText}`);
      await page.getByLabel('Search the logs').fill('');
      await page.getByLabel('Search the logs').press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('.log-lines .log-line').length === 13);
      assert(await fault.isHidden(), 'the error goes when the query is fixed');

      // A click on a line publishes its moment as at=<epoch ms>.
      await page.locator('.log-line', { hasText: 'loss spike' }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.has('at'));
      const at = Number(new URL(page.url()).searchParams.get('at'));
      const spike = (await api(baseUrl, access_token, 'GET', `/runs/${b.id}/logs?query=${encodeURIComponent('"loss spike"')}`)).body.items[0];
      assertEqual(at, spike.ts, 'at= is the clicked line\'s time');

      // Live: a run fed through the ingest API while the tab watches it.
      const send = await ingester(baseUrl, access_token, `e2e-live-${Date.now()}`);
      const first = await send([{ message: 'warming up' }]);
      await openTab(page, first.run_id, 'logs');
      await page.locator('.obs-live[data-state="live"]').waitFor({ timeout: 15_000 });
      await page.locator('.log-line', { hasText: 'warming up' }).waitFor();
      await send([{ message: 'live line one' }]);
      await page.locator('.log-line', { hasText: 'live line one' }).waitFor({ timeout: 10_000 });

      // Enough lines to scroll; scrolling up pauses, new lines wait, jump to live shows them.
      await send(Array.from({ length: 80 }, (_, i) => ({ message: `filler ${i}` })));
      await page.locator('.log-line', { hasText: 'filler 79' }).waitFor({ timeout: 10_000 });
      await page.locator('.log-lines').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
      await page.locator('.log-viewer.log-paused').waitFor();
      await send([{ message: 'arrived while paused' }]);
      const jump = page.locator('.log-jump');
      await page.waitForFunction(() => /1 new line — jump to live/.test(document.querySelector('.log-jump')?.textContent ?? ''), undefined, { timeout: 10_000 });
      assertEqual(await page.locator('.log-line', { hasText: 'arrived while paused' }).count(), 0, 'a line that arrives while paused waits');
      await jump.click();
      await page.locator('.log-line', { hasText: 'arrived while paused' }).waitFor();
      assert(!(await page.locator('.log-viewer').getAttribute('class')).includes('log-paused'), 'jump to live follows again');
      const atBottom = await page.locator('.log-lines').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 24);
      assert(atBottom, 'jump to live scrolls to the newest line');

      // A JSON line is shown compact and expands pretty-printed.
      await send([{ message: JSON.stringify({ event: 'eval', accuracy: 0.91, split: 'val' }) }]);
      const jsonLine = page.locator('.log-line.log-json', { hasText: 'accuracy' });
      await jsonLine.waitFor({ timeout: 10_000 });
      await jsonLine.locator('.log-expand').click();
      const pretty = await jsonLine.locator('.log-detail pre').textContent();
      assert(pretty.includes('"accuracy": 0.91') && pretty.includes('\n'), `the JSON line expands pretty-printed: ${pretty}`);
    },
  },
  {
    name: 'run logs: older lines load on scroll-up',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const send = await ingester(baseUrl, access_token, `e2e-older-${Date.now()}`);
      // 260 lines: the first view holds the newest 200.
      const first = await send(Array.from({ length: 260 }, (_, i) => ({ message: `line ${String(i).padStart(3, '0')}` })));
      await uiLogin(page, ENGINEER);
      await openTab(page, first.run_id, 'logs');
      await page.locator('.log-line', { hasText: 'line 259' }).waitFor({ timeout: 15_000 });
      assertEqual(await lines(page).count(), 200, 'the first view holds the newest 200 lines');
      await page.locator('.log-lines').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
      await page.locator('.log-line', { hasText: 'line 000' }).waitFor({ timeout: 10_000 });
      assertEqual(await lines(page).count(), 260, 'scrolling to the top loads the 60 older lines');
      assertEqual(await lines(page).first().locator('.log-msg').textContent(), 'line 000', 'older lines come before, in order');
    },
  },
  {
    name: 'run traces: list, waterfall nested, span attributes in a side panel, keyboard, deep link',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const a = await demoRun(baseUrl, access_token, 'bert-finetune-ab-a');
      await uiLogin(page, ENGINEER);
      await openTab(page, a.id, 'traces');
      const rows = page.locator('.data-table tbody tr');
      await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr:not(.row-empty)').length === 10);
      await rows.first().click();
      await page.locator('.trace-waterfall').waitFor();
      const wf = page.locator('.wf-row');
      assertEqual(await wf.count(), 7, 'the demo trace has 7 spans');
      assertEqual(await wf.first().getAttribute('aria-level'), '1', 'train_step is the root');
      assertEqual(await wf.first().locator('.wf-name').textContent(), 'train_step', 'the root is train_step');
      const levels = await wf.evaluateAll((els) => els.slice(1).map((e) => e.getAttribute('aria-level')));
      assertEqual(levels, ['2', '2', '2', '2', '2', '2'], 'every step is nested under train_step');
      const names = await wf.locator('.wf-name').allTextContents();
      assertEqual(names, ['train_step', 'data_load', 'forward_pass', 'backward_pass', 'optimizer_step', 'eval', 'checkpoint'], 'children in start order');
      // Bars on the time axis: eval (1.9 s of 3.9 s) is wider than optimizer_step (0.1 s).
      const width = (name) => page.locator('.wf-row', { has: page.locator('.wf-name', { hasText: new RegExp(`^${name}$`) }) }).locator('.wf-bar').evaluate((el) => el.getBoundingClientRect().width);
      assert((await width('eval')) > 10 * (await width('optimizer_step')), 'bar widths follow durations');

      await page.locator('.wf-row', { hasText: 'eval' }).click();
      const panel = page.locator('.dialog-panel');
      await panel.waitFor();
      assertEqual(await panel.locator('h2').textContent(), 'eval', 'the side panel is the clicked span');
      assert((await panel.textContent()).includes('"epoch"'), 'the span attributes are shown');
      const url = new URL(page.url());
      assert(url.searchParams.get('trace') && url.searchParams.get('span'), `trace and span are in the URL: ${url.search}`);

      // A deep link opens the same span.
      await page.goto(url.pathname + url.search);
      await page.locator('.dialog-panel h2', { hasText: 'eval' }).waitFor();
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('span'));

      // Keyboard: ↓ moves to the next span, Enter opens it.
      await page.locator('.wf-row[tabindex="0"]').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.locator('.dialog-panel h2', { hasText: 'data_load' }).waitFor();
    },
  },
  {
    name: 'run events: the checkpoints on the timeline, a type filter, the payload in a side panel',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const b = await demoRun(baseUrl, access_token, 'bert-finetune-ab-b');
      await uiLogin(page, ENGINEER);
      await openTab(page, b.id, 'events');
      const lane = page.locator('.tl-lane', { has: page.locator('.tl-lane-name', { hasText: 'checkpoint_saved' }) });
      await lane.waitFor();
      assertEqual(await lane.locator('.tl-mark').count(), 10, 'ten checkpoints on the timeline');
      assertEqual(await page.locator('.tl-lane').count(), 2, 'a lane for checkpoints and one for the loss spike');
      await page.getByLabel('Event type').selectOption('loss_spike');
      await page.waitForFunction(() => document.querySelectorAll('.tl-mark').length === 1 && document.querySelectorAll('.data-table tbody tr').length === 1);
      await page.getByLabel('Event type').selectOption('');
      await lane.locator('.tl-mark').first().click();
      const panel = page.locator('.dialog-panel');
      await panel.waitFor();
      assert((await panel.textContent()).includes('/chkpt/epoch-1'), 'the first checkpoint\'s payload is shown');
    },
  },
  {
    name: 'run artifacts: download with the session yields the stored bytes (sha256), no 401; model links to Model Viz',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const a = await demoRun(baseUrl, access_token, 'bert-finetune-ab-a');
      const stored = (await api(baseUrl, access_token, 'GET', `/runs/${a.id}/artifacts`)).body.items.find((x) => x.path === 'model.onnx');
      await uiLogin(page, ENGINEER);
      const statuses = [];
      page.on('response', (r) => { if (r.url().includes('/artifacts/')) statuses.push(r.status()); });
      await openTab(page, a.id, 'artifacts');
      const row = page.locator('.data-table tbody tr', { hasText: 'model.onnx' });
      await row.waitFor();
      assert((await row.textContent()).includes(stored.sha256.slice(0, 12)), 'the sha256 is shown');
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download model.onnx' }).click()]);
      assertEqual(download.suggestedFilename(), 'model.onnx', 'the file keeps its name');
      const bytes = await readFile(await download.path());
      assertEqual(createHash('sha256').update(bytes).digest('hex'), stored.sha256, 'the downloaded bytes hash to the recorded sha256');
      assertEqual(statuses, [200], 'one authenticated download, no 401');
      const viz = new URL(await row.getByRole('link', { name: 'Open in Model Viz' }).getAttribute('href'), baseUrl);
      assertEqual([viz.pathname, viz.searchParams.get('run'), viz.searchParams.get('artifact')], ['/model-viz', a.id, stored.id], 'the model links to Model Viz');
    },
  },
  {
    name: 'run tabs: a beta-tenant user opening a demo run gets the not-found state',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const a = await demoRun(baseUrl, access_token, 'bert-finetune-ab-a');
      await uiLogin(page, emailFor('ML_ENGINEER', 'beta-tenant'));
      for (const tab of ['logs', 'traces', 'events', 'artifacts']) {
        await openTab(page, a.id, tab);
        // The host says the run is not there (an empty state "Run not found", or the older error state).
        await page.locator('.state-empty, .state-error', { hasText: /Run not found|This run could not be opened/ }).waitFor();
        assertEqual(await page.locator('.log-line, .wf-row, .tl-mark, .data-table tbody tr').count(), 0, `nothing of the demo run shows on ${tab}`);
      }
    },
  },
  {
    name: 'run tabs: every visible text of logs (a line marked), traces (list and a trace), events and artifacts meets WCAG AA in both themes',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const b = await demoRun(baseUrl, access_token, 'bert-finetune-ab-b');
      const trace = (await api(baseUrl, access_token, 'GET', `/runs/${b.id}/traces`)).body.items[0];
      await uiLogin(page, ENGINEER);
      const tools = contrastTools.toString();
      const views = [
        ['logs', '', '.log-line.level-warn'],
        ['traces', '', '.data-table tbody tr'],
        ['traces', `&trace=${trace.traceId}`, '.wf-row'],
        ['events', '', '.tl-mark'],
        ['artifacts', '', '.data-table tbody tr'],
      ];
      try {
        for (const theme of ['light', 'dark']) {
          await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme });
          for (const [tab, extra, ready] of views) {
            await openTab(page, b.id, tab, extra);
            await page.locator(ready).first().waitFor();
            // The selected states are checked too: a marked log line, an open span.
            if (tab === 'logs') await page.locator(ready).click();
            const { checked, failures } = await page.evaluate(pageTexts, tools);
            assert(checked > 20, `${theme} ${tab}: texts were found to check (${checked})`);
            assert(failures.length === 0, `${theme} ${tab}${extra ? ' (trace)' : ''}: ${failures.length} of ${checked} texts under AA: ${failures.slice(0, 8).join('; ')}`);
          }
        }
      } finally {
        await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme: 'light' });
      }
    },
  },
  {
    name: 'run tabs: screenshots of logs, traces, events and artifacts in both themes',
    async run({ page, baseUrl, screenshots }) {
      const { access_token } = await apiLogin(baseUrl, ENGINEER);
      const b = await demoRun(baseUrl, access_token, 'bert-finetune-ab-b');
      const trace = (await api(baseUrl, access_token, 'GET', `/runs/${b.id}/traces`)).body.items[0];
      await uiLogin(page, ENGINEER);
      for (const theme of ['light', 'dark']) {
        await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme });
        await openTab(page, b.id, 'logs');
        await page.locator('.log-line').first().waitFor();
        await page.locator('.log-line.level-warn').click();
        await shot(page, screenshots, `${theme}-run-logs`);
        await openTab(page, b.id, 'logs', '&q=%22epoch%20AND');
        await page.locator('.obs-query-error').waitFor();
        await shot(page, screenshots, `${theme}-run-logs-bad-query`);
        await openTab(page, b.id, 'traces');
        await page.locator('.data-table tbody tr').first().waitFor();
        await shot(page, screenshots, `${theme}-run-traces`);
        await openTab(page, b.id, 'traces', `&trace=${trace.traceId}`);
        await page.locator('.wf-row').first().waitFor();
        await shot(page, screenshots, `${theme}-run-trace-waterfall`);
        await page.locator('.wf-row', { hasText: 'backward_pass' }).click();
        await page.locator('.dialog-panel').waitFor();
        await shot(page, screenshots, `${theme}-run-trace-span`);
        await openTab(page, b.id, 'events');
        await page.locator('.tl-mark').first().waitFor();
        await shot(page, screenshots, `${theme}-run-events`);
        await openTab(page, b.id, 'artifacts');
        await page.locator('.data-table tbody tr').first().waitFor();
        await shot(page, screenshots, `${theme}-run-artifacts`);
      }
      // Empty states: a run that logged lines only.
      const send = await ingester(baseUrl, access_token, `e2e-empty-${Date.now()}`);
      const only = await send([{ message: 'only a line' }]);
      for (const tab of ['traces', 'events', 'artifacts']) {
        await openTab(page, only.run_id, tab);
        await page.locator('.state-empty').waitFor();
        await shot(page, screenshots, `dark-run-${tab}-empty`);
      }
      await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme: 'light' });
    },
  },
];
