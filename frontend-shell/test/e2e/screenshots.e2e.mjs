import { SUPER_ADMIN, api, apiLogin, settle, shot, uiLogin } from './helpers.mjs';

// A screenshot of every page the super-admin can open, in both themes (artifacts/screenshots/).
export const tests = [
  {
    name: 'screenshots of every page in both themes',
    async run({ page, baseUrl, screenshots }) {
      const { access_token } = await apiLogin(baseUrl, SUPER_ADMIN);
      const me = (await api(baseUrl, access_token, 'GET', '/me')).body;
      const tenant = me.tenants.find((t) => t.slug === 'demo-tenant') ?? me.tenants[0];
      const menus = (await api(baseUrl, access_token, 'GET', '/ui/menus', undefined, tenant?.id)).body;
      const routes = menus.sections.flatMap((s) => s.tabs.map((t) => t.route));
      await uiLogin(page, SUPER_ADMIN);
      // A super-admin starts in the platform view; these pages are demo-tenant's.
      await page.evaluate((id) => localStorage.setItem('oneservice.tenant', id), tenant.id);
      for (const theme of ['light', 'dark']) {
        await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme });
        for (const route of ['/no-such-page', ...routes]) {
          await page.goto(route);
          await settle(page); // includes charts having painted
          await shot(page, screenshots, `${theme}${route === '/' ? '-home' : route}`);
        }
      }
      await page.context().clearCookies();
      await page.evaluate(() => localStorage.clear());
      await page.goto('/login');
      await shot(page, screenshots, 'login');
      await api(baseUrl, access_token, 'PUT', '/me/preferences', { theme: 'light' });
    },
  },
];
