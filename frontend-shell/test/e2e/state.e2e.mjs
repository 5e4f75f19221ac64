import { api, apiLogin, assert, assertEqual, emailFor, nextResponse, settle, uiLogin } from './helpers.mjs';

export const tests = [
  {
    name: 'theme switch applies at once and is remembered per user',
    async run({ page, baseUrl }) {
      await uiLogin(page, emailFor('SRE'));
      const before = await page.evaluate(() => document.documentElement.dataset.theme);
      // The choice is saved on the server: wait for that call, not for a guessed delay.
      const saved = nextResponse(page, '/api/v1/me/preferences', 'PUT');
      await page.getByTestId('theme-toggle').click();
      await saved;
      const after = await page.evaluate(() => document.documentElement.dataset.theme);
      assert(before !== after && ['light', 'dark'].includes(after), `theme changed from ${before} to ${after}`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const { access_token } = await apiLogin(baseUrl, emailFor('SRE'));
      assertEqual((await api(baseUrl, access_token, 'GET', '/me')).body.preferences.theme, after, 'theme stored on the server');
      // A fresh browser (no localStorage) gets the user's theme from the server.
      await page.evaluate(() => localStorage.removeItem('oneservice.theme'));
      await page.reload();
      await settle(page);
      assertEqual(await page.evaluate(() => document.documentElement.dataset.theme), after, 'theme after reload');
      assertEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), bg, 'background colour after reload');
      const restored = nextResponse(page, '/api/v1/me/preferences', 'PUT');
      await page.getByTestId('theme-toggle').click(); // leave the demo user as it was
      await restored;
    },
  },
  {
    name: 'a deep link with filters, sort and time range reloads to the same view; back and forward restore it',
    async run({ page }) {
      const link = '/admin/audit?action=auth.login&from=now-6h&to=now';
      await uiLogin(page, emailFor('TENANT_ADMIN'), undefined, link);
      const check = async (label) => {
        const url = new URL(page.url());
        assertEqual(`${url.pathname}${url.search}`, link, `${label}: URL`);
        assertEqual(await page.getByLabel('Action').inputValue(), 'auth.login', `${label}: action filter`);
        assertEqual((await page.locator('.trp-label').textContent())?.trim(), 'Last 6 hours', `${label}: time range`);
        assert(await page.locator('a.tab.is-active[data-tab="audit"]').count(), `${label}: Audit tab active`);
      };
      await settle(page);
      await check('after sign-in');
      await page.reload();
      await settle(page);
      await check('after reload');
      await page.locator('a.tab[data-tab="users"]').click();
      await page.waitForURL((u) => u.pathname === '/admin/users');
      assert(new URL(page.url()).searchParams.get('from') === 'now-6h', 'the time range travels with navigation');
      await page.goBack();
      await settle(page);
      await check('after back');
      await page.goForward();
      await page.waitForURL((u) => u.pathname === '/admin/users');

      // Sort, filter and page size of a server-side table survive a reload too.
      await page.goto('/admin/users?role=SRE&size=25&sort=-email');
      await settle(page);
      const checkUsers = async (label) => {
        assertEqual(await page.locator('.filter-bar select[name="role"]').inputValue(), 'SRE', `${label}: role filter`);
        assertEqual(await page.locator('th[aria-sort="descending"] .th-sort').textContent(), 'Email▼', `${label}: sort`);
        assertEqual(await page.getByLabel('Rows per page').inputValue(), '25', `${label}: page size`);
        const roles = await page.locator('.data-table tbody tr[data-index] td:nth-child(3)').allTextContents();
        assert(roles.length > 0 && roles.every((r) => r === 'SRE'), `${label}: only SRE users (${roles.join(', ')})`);
      };
      await checkUsers('users deep link');
      await page.reload();
      await settle(page);
      await checkUsers('users after reload');
    },
  },
  {
    name: 'unknown routes show a not-found state, not a dead page',
    async run({ page }) {
      await uiLogin(page, emailFor('READONLY'), undefined, '/no/such/page');
      await page.getByText('Page not found').waitFor();
      await page.getByRole('button', { name: 'Go to the first page' }).click();
      await settle(page);
      assert(!(await page.getByText('Page not found').count()), 'the first page is a real page');
    },
  },
];
