import { SUPER_ADMIN, api, apiLogin, assert, assertEqual, settle, uiLogin } from './helpers.mjs';

// Where a super-admin starts: the platform view (tenants) until they choose a tenant, then that
// tenant, also after a reload — never a tenant they did not choose.
export const tests = [
  {
    name: 'super-admin starts in the platform view, then in the tenant last chosen',
    async run({ page, baseUrl }) {
      const { access_token } = await apiLogin(baseUrl, SUPER_ADMIN);
      const demo = (await api(baseUrl, access_token, 'GET', '/me')).body.tenants.find((t) => t.slug === 'demo-tenant');
      await uiLogin(page, SUPER_ADMIN);
      await page.waitForURL((url) => url.pathname === '/admin/tenants');
      assertEqual(await page.getByTestId('tenant-switcher').inputValue(), '', 'no tenant is acting at first');
      const sections = await page.locator('.primary-nav a.nav-item').evaluateAll((links) => links.map((a) => a.getAttribute('data-section')));
      assertEqual(sections, ['tenants-users'], 'the platform view shows only the platform pages');
      await page.getByTestId('tenant-switcher').selectOption(demo.id);
      await page.locator('.primary-nav a.nav-item[data-section="training"]').waitFor();
      await page.reload();
      await settle(page);
      assertEqual(await page.getByTestId('tenant-switcher').inputValue(), demo.id, 'the chosen tenant after a reload');
      const avatar = await page.locator('.user-trigger .avatar').innerText();
      assert(/^[A-Z]{1,2}$/.test(avatar), `the avatar shows letters only (got ${avatar})`);
    },
  },
];
