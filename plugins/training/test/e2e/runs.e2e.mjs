// The runs list (/training/runs) as ML engineers use it: sort, filters and metric columns in the URL,
// sparklines, Compare, live rows over SSE, the empty tenant's first steps, tenant isolation, delete by role.
import { randomUUID } from 'node:crypto';
import { SUPER_ADMIN, api, apiLogin, assert, assertEqual, emailFor, settle, shot, uiLogin } from '../../../../frontend-shell/test/e2e/helpers.mjs';

const RUNS = '/training/runs';
const rowNames = (page) => page.locator('.data-table tbody tr[data-key] td:nth-child(3)').allInnerTexts();
const waitRows = (page, names) =>
  page.waitForFunction(
    (want) => {
      const got = [...document.querySelectorAll('.data-table tbody tr[data-key] td:nth-child(3)')].map((td) => td.textContent.trim()).sort();
      return JSON.stringify(got) === JSON.stringify([...want].sort());
    },
    names,
    { timeout: 15_000 },
  );
const query = (page) => new URL(page.url()).searchParams;

async function mintIngestToken(baseUrl, email) {
  const { access_token } = await apiLogin(baseUrl, email);
  const minted = await api(baseUrl, access_token, 'POST', '/auth/api-token', { name: `e2e ${randomUUID()}`, scopes: ['ingest', 'read'] });
  assertEqual(minted.status, 201, 'minting an ingest token');
  return minted.body.secret;
}

const batch = (clientRunId, extra = {}) => ({
  batch_id: randomUUID(),
  run: { client_run_id: clientRunId, project: 'e2e-live', name: clientRunId, ...extra },
  metrics: [0, 1, 2].map((step) => ({ name: 'loss', value: 1 / (step + 1), step, ts: Date.now() })),
});

export const tests = [
  {
    name: 'runs list: sort, status and tag filters and a metric column in the URL survive reload; sparklines; two runs → Compare',
    async run({ page, baseUrl, screenshots }) {
      // Other scenarios send runs into demo-tenant too: this one looks at the demo A/B project only.
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, `${RUNS}?project=nlp-abtest`);
      await waitRows(page, ['bert-finetune-ab-a', 'bert-finetune-ab-b']);
      await settle(page);
      assert((await page.locator('.data-table tbody tr[data-key] svg.sparkline polyline').count()) === 2, 'each demo run draws its loss sparkline');
      assertEqual(await page.locator('.data-table tbody .chip').first().innerText(), 'finished', 'the status chip of a demo run');

      await page.getByRole('button', { name: 'Name', exact: false }).first().click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
      await page.locator('.data-table thead th[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
      await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]'));
      assertEqual(await rowNames(page), ['bert-finetune-ab-a', 'bert-finetune-ab-b'], 'rows sorted by name');
      await page.getByRole('button', { name: 'Name', exact: false }).first().click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === '-name');
      await page.waitForFunction(() => document.querySelector('.data-table tbody tr[data-key] td:nth-child(3)')?.textContent === 'bert-finetune-ab-b');

      await page.getByLabel('Status', { exact: true }).selectOption('finished');
      await page.getByLabel('Tag', { exact: true }).fill('variant:b');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('tag') === 'variant:b');
      await waitRows(page, ['bert-finetune-ab-b']);
      assertEqual([query(page).get('status'), query(page).get('sort')], ['finished', '-name'], 'status and sort in the URL');

      await page.reload();
      await waitRows(page, ['bert-finetune-ab-b']);
      assertEqual(await page.getByLabel('Tag', { exact: true }).inputValue(), 'variant:b', 'the tag filter after reload');
      assertEqual(await page.getByLabel('Status', { exact: true }).inputValue(), 'finished', 'the status filter after reload');

      await page.getByLabel('Tag', { exact: true }).fill('');
      await waitRows(page, ['bert-finetune-ab-a', 'bert-finetune-ab-b']);
      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('dialog', { name: 'Choose columns' }).getByLabel('accuracy', { exact: true }).check();
      await page.waitForFunction(() => (new URL(location.href).searchParams.get('cols') ?? '').split(',').includes('metric.accuracy'));
      await page.keyboard.press('Escape');
      await page.reload();
      await waitRows(page, ['bert-finetune-ab-a', 'bert-finetune-ab-b']);
      const header = page.locator('.data-table thead th', { hasText: /^accuracy/ });
      assert((await header.count()) === 1, 'the accuracy column is still shown after reload');
      const cells = await page.locator('.data-table tbody tr[data-key] td.align-right').allInnerTexts();
      assert(cells.some((t) => /^0\.\d+$/.test(t.trim())), `an accuracy value in a cell (got ${JSON.stringify(cells)})`);
      for (const theme of ['light', 'dark']) {
        await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
        await shot(page, screenshots, `${theme}-training-runs`);
      }
      await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));

      await page.getByRole('checkbox', { name: 'Select all rows on this page' }).check();
      const compare = page.getByRole('button', { name: 'Compare 2 runs' });
      await compare.click();
      await page.waitForURL((url) => url.pathname === '/training/compare');
      const ids = (query(page).get('runs') ?? '').split(',').filter(Boolean);
      assertEqual(ids.length, 2, 'Compare opens with both selected run ids in the URL');
    },
  },
  {
    name: 'runs list follows a chosen time range (runs active in it) and Show all drops it',
    async run({ page }) {
      // The demo runs ran two days ago for an hour each: a range over that day keeps them, the last hour does not.
      const day = (offset) => new Date(Date.now() - offset * 86_400_000).toISOString();
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, `${RUNS}?q=bert&from=${day(3)}&to=${day(1)}`);
      await waitRows(page, ['bert-finetune-ab-a', 'bert-finetune-ab-b']);
      await page.getByText('Runs active in the chosen time range').waitFor();
      const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/runs' && r.url().includes('active_from'));
      await page.goto(`${RUNS}?q=bert&from=now-1h&to=now`);
      const params = new URL((await asked).url()).searchParams;
      assert(Number(params.get('active_to')) - Number(params.get('active_from')) === 3_600_000, 'the last hour is sent as the activity window');
      await page.getByText('No runs match').waitFor();
      await page.getByRole('button', { name: 'Show all' }).click();
      await waitRows(page, ['bert-finetune-ab-a', 'bert-finetune-ab-b']);
      assert(!query(page).has('from'), 'Show all takes the range out of the URL');
    },
  },
  {
    name: 'runs list live: a run ingested through the API appears without reload and its status changes live',
    async run({ page, baseUrl }) {
      const token = await mintIngestToken(baseUrl, emailFor('ML_ENGINEER'));
      await uiLogin(page, emailFor('DATA_SCIENTIST'), undefined, RUNS);
      await page.locator('.data-table tbody tr[data-key]', { hasText: 'bert-finetune-ab-a' }).waitFor();
      const key = `live-${randomUUID().slice(0, 8)}`;
      const ingest = (body) => fetch(`${baseUrl}/api/v1/ingest/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assertEqual((await ingest(batch(key))).status, 202, 'the first batch of the live run');
      const row = page.locator('.data-table tbody tr[data-key]', { hasText: key });
      await row.waitFor({ timeout: 15_000 });
      assertEqual(await row.locator('.chip').innerText(), 'running', 'the new run is running');
      // The User cell shows the name part of the email, the whole address in its title (Project is hidden by default).
      const user = row.locator('td').nth(4).locator('span[title]');
      assertEqual(await user.innerText(), emailFor('ML_ENGINEER').split('@')[0], 'the user who created the run, by name');
      assertEqual(await user.getAttribute('title'), emailFor('ML_ENGINEER'), 'the full address in the title');
      assertEqual((await ingest({ ...batch(key, { status: 'finished' }), metrics: [] })).status, 202, 'the finishing batch');
      await row.locator('.chip', { hasText: 'finished' }).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'empty tenant: the runs page shows the SDK snippet and mints an ingest token into it, which then works',
    async run({ page, baseUrl, screenshots }) {
      const { access_token } = await apiLogin(baseUrl, SUPER_ADMIN);
      const slug = `empty-${randomUUID().slice(0, 8)}`;
      const tenant = await api(baseUrl, access_token, 'POST', '/tenants', { slug, name: 'Empty lab' });
      assertEqual(tenant.status, 201, 'creating an empty tenant');
      const email = `ml@${slug}.local`;
      const user = await api(baseUrl, access_token, 'POST', '/users', { email, display_name: 'New ML', role: 'ML_ENGINEER', password: 'empty-tenant-pass-1' }, tenant.body.id);
      assertEqual(user.status, 201, 'creating its ML engineer');
      await uiLogin(page, email, 'empty-tenant-pass-1', RUNS);
      await page.getByText('No runs yet').waitFor();
      const code = page.locator('.start-guide pre');
      for (const line of ['pip install ./monitor-sdk/python', `ONESERVICE_TENANT=${slug}`, `ONESERVICE_URL=${baseUrl}`, 'ONESERVICE_TOKEN=<your ingest token>', 'run.log_metric(']) {
        assert((await code.innerText()).includes(line), `the snippet holds ${line}`);
      }
      await page.getByRole('button', { name: 'Create an ingest token' }).click();
      await page.getByText('It is shown only now').waitFor();
      const secret = /ONESERVICE_TOKEN=(\S+)/.exec(await code.innerText())?.[1] ?? '';
      assert(secret.startsWith('ost'), `the minted token is in the snippet (got ${secret})`);
      for (const theme of ['light', 'dark']) {
        await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
        await shot(page, screenshots, `${theme}-training-runs-empty`);
      }
      // The token sends a run, and the page turns into the list by itself.
      const sent = await fetch(`${baseUrl}/api/v1/ingest/batch`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(batch('first-run')) });
      assertEqual(sent.status, 202, 'a batch sent with the minted token');
      await page.locator('.data-table tbody tr[data-key]', { hasText: 'first-run' }).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'a beta-tenant user sees none of the demo runs: not in the list, not by URL, not in search',
    async run({ page, baseUrl }) {
      const demo = await apiLogin(baseUrl, emailFor('ML_ENGINEER'));
      const demoRuns = await api(baseUrl, demo.access_token, 'GET', '/runs?q=bert');
      const demoId = demoRuns.body.items[0].id;
      const missing = [];
      page.on('response', (r) => r.status() === 404 && new URL(r.url()).pathname === '/api/v1/search' && missing.push(r.url()));
      await uiLogin(page, emailFor('ML_ENGINEER', 'beta-tenant'), undefined, RUNS);
      await waitRows(page, ['resnet50-baseline']);
      const asked = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/runs/${demoId}`);
      await page.goto(`/training/runs/${demoId}`);
      assertEqual((await asked).status(), 404, 'a demo run opened by URL from beta-tenant');
      assert(!(await page.locator('main').innerText()).includes('bert-finetune'), 'no demo run name on the page');
      await page.keyboard.press('Control+k');
      const results = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/runs' && new URL(r.url()).searchParams.get('q') === 'bert');
      await page.getByRole('combobox', { name: 'Search' }).fill('bert');
      await results;
      await page.locator('.search-results').getByText('No results').waitFor();
      // And it finds its own run by name.
      await page.getByRole('combobox', { name: 'Search' }).fill('resnet');
      await page.locator('.search-option', { hasText: 'resnet50-baseline' }).waitFor();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname.startsWith('/training/runs/'));
      assertEqual(missing, [], 'no 404 from a search route');
    },
  },
  {
    name: 'delete is offered with a confirm to roles with runs:delete only',
    async run({ page, browser, baseUrl }) {
      await uiLogin(page, emailFor('READONLY'), undefined, RUNS);
      await page.locator('.data-table tbody tr[data-key]', { hasText: 'bert-finetune-ab-b' }).waitFor();
      await settle(page);
      assertEqual(await page.getByRole('button', { name: /^Delete run/ }).count(), 0, 'READONLY sees no delete button');
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl });
      try {
        const engineer = await context.newPage();
        await uiLogin(engineer, emailFor('ML_ENGINEER'), undefined, `${RUNS}?q=bert-finetune-ab-a`);
        await waitRows(engineer, ['bert-finetune-ab-a']);
        await engineer.getByRole('button', { name: 'Delete run bert-finetune-ab-a' }).click();
        const dialog = engineer.getByRole('dialog');
        await dialog.getByText('cannot be undone').waitFor();
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await waitRows(engineer, ['bert-finetune-ab-a']);
      } finally {
        await context.close();
      }
    },
  },
];
