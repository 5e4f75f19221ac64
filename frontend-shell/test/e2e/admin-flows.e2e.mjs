import { SUPER_ADMIN, api, apiLogin, assert, emailFor, nextResponse, settle, uiLogin } from './helpers.mjs';

export const tests = [
  {
    name: 'tenant admin creates a user, then an API token that works until it is revoked',
    async run({ page, baseUrl }) {
      const newEmail = `e2e-${Date.now()}@demo-tenant.local`;
      await uiLogin(page, emailFor('TENANT_ADMIN'), undefined, '/admin/users');
      await page.getByRole('button', { name: 'New user' }).click();
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Email', { exact: true }).fill(newEmail);
      await dialog.getByLabel('Display name').fill('E2E Person');
      await dialog.getByLabel('Role').selectOption('SRE');
      await dialog.getByLabel('Initial password').fill('a-long-e2e-password');
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.waitFor({ state: 'detached' });
      // The search is debounced and sent as q: wait for the answer to that query, then for the table.
      const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/users' && new URL(r.url()).searchParams.get('q') === newEmail);
      await page.getByRole('searchbox', { name: 'Search the table' }).fill(newEmail);
      await searched;
      await page.waitForURL((u) => u.searchParams.get('q') === newEmail); // the search is view state
      await settle(page);
      const found = await page.locator('.data-table tbody tr[data-index] td:first-child').allTextContents();
      assert(found.length === 1 && found[0] === newEmail, `the search finds exactly the new user (${found.join(', ')})`);
      // The new user can sign in.
      await apiLogin(baseUrl, newEmail, 'a-long-e2e-password');

      await page.locator('.secondary-nav a.tab[data-tab="api-tokens"]').click();
      await settle(page);
      await page.getByRole('button', { name: 'New token' }).click();
      const create = page.getByRole('dialog', { name: 'New API token' });
      const tokenName = `e2e-token-${Date.now()}`;
      await create.getByLabel('Name').fill(tokenName);
      await create.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
      assert(secret.length > 20, 'the token secret is shown once');
      assert((await api(baseUrl, secret, 'GET', '/me')).status === 200, 'the new token authenticates');
      await page.getByRole('button', { name: 'Done' }).click();
      const row = page.locator('.data-table tbody tr', { hasText: tokenName });
      await row.getByText('Active').waitFor();
      await row.getByRole('button', { name: `Revoke token ${tokenName}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
      await row.getByText('Revoked').waitFor();
      assert((await api(baseUrl, secret, 'GET', '/me')).status === 401, 'a revoked token is refused');
    },
  },
  {
    name: 'super-admin switches tenant and sees none of the other tenant\u2019s users',
    async run({ page, baseUrl }) {
      const tenantHeaders = new Set();
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/users')) tenantHeaders.add(r.headers()['x-oneservice-tenant'] ?? 'none');
      });
      const { access_token } = await apiLogin(baseUrl, SUPER_ADMIN);
      const me = (await api(baseUrl, access_token, 'GET', '/me')).body;
      const byslug = Object.fromEntries(me.tenants.map((t) => [t.slug, t]));
      assert(byslug['demo-tenant'] && byslug['beta-tenant'], 'both demo tenants exist');
      await uiLogin(page, SUPER_ADMIN, undefined, '/admin/users');
      for (const [slug, other] of [['demo-tenant', 'beta-tenant'], ['beta-tenant', 'demo-tenant']]) {
        // The table must show the new tenant's answer, not the rows still on screen from the old one.
        const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/users' && r.request().headers()['x-oneservice-tenant'] === byslug[slug].id);
        await page.getByTestId('tenant-switcher').selectOption(byslug[slug].id);
        await listed;
        await settle(page);
        await page.locator('.data-table tbody tr[data-index]').first().waitFor();
        const emails = await page.locator('.data-table tbody tr[data-index] td:first-child').allTextContents();
        assert(emails.length > 0, `users of ${slug} are listed`);
        assert(emails.every((e) => !e.endsWith(`@${other}.local`)), `${slug} shows a user of ${other}: ${emails.join(', ')}`);
        assert(emails.some((e) => e.endsWith(`@${slug}.local`)), `${slug} shows its own users`);
        assert(tenantHeaders.has(byslug[slug].id), `API calls carry X-OneService-Tenant: ${slug}`);
      }
      // The last choice (beta-tenant) survives a reload.
      await page.reload();
      await settle(page);
      assert((await page.getByTestId('tenant-switcher').inputValue()) === byslug['beta-tenant'].id, 'the acting tenant is remembered');
    },
  },
  {
    name: 'sign-in errors: wrong password, then throttling with the retry time',
    async run({ page, baseUrl }) {
      // A user of its own, so locking it out disturbs no other scenario.
      const { access_token } = await apiLogin(baseUrl, emailFor('TENANT_ADMIN'));
      const email = `throttle-${Date.now()}@demo-tenant.local`;
      const created = await api(baseUrl, access_token, 'POST', '/users', { email, display_name: 'Throttle', role: 'READONLY', password: 'right-password-123' });
      assert(created.status === 201, `user created (${created.status})`);
      await page.goto('/login');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The email or password is not correct.').waitFor();
      for (let i = 0; i < 12; i++) {
        if (await page.getByText(/Too many sign-in attempts\. Try again in \d+/).count()) break;
        await page.getByLabel('Password', { exact: true }).fill('wrong-password');
        const answered = nextResponse(page, '/api/v1/auth/login', 'POST');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await answered;
        // The form has shown the answer once its button reads "Sign in" again (enabled, or
        // disabled by the lock); checking the text before that would click a busy button.
        await page.waitForFunction(() => document.querySelector('.login-form button[type="submit"]')?.textContent === 'Sign in');
      }
      await page.getByText(/Too many sign-in attempts\. Try again in \d+/).waitFor();
      assert(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), 'the button waits out the lock');
    },
  },
];
