import { ROLES, api, apiLogin, assert, assertEqual, emailFor, navSectionIds, settle, shot, uiLogin } from './helpers.mjs';

// Each of the six roles sees exactly the sections and tabs the server allows it (GET /ui/menus for
// that user), in that order, and every tab it sees opens a page (no dead links).
export const tests = ROLES.map((role) => ({
  name: `role ${role} sees exactly its menus`,
  async run({ page, baseUrl, screenshots }) {
    const email = emailFor(role);
    const { access_token } = await apiLogin(baseUrl, email);
    const menus = (await api(baseUrl, access_token, 'GET', '/ui/menus')).body;
    assert(menus.sections.length > 0, `${role} has no sections at all`);
    await uiLogin(page, email);
    assertEqual(await navSectionIds(page), menus.sections.map((s) => s.id), `${role} primary menu`);
    // The platform-wide Tenants page is for the super-admin only, whatever the tenant role.
    assert(!(await page.locator('a.tab[data-tab="tenants"]').count()), `${role} must not see the Tenants tab`);
    for (const section of menus.sections) {
      await page.locator(`.primary-nav a[data-section="${section.id}"]`).click();
      await settle(page);
      const tabs = await page.locator('.secondary-nav a.tab').evaluateAll((links) => links.map((a) => a.getAttribute('data-tab')));
      assertEqual(tabs, section.tabs.map((t) => t.id), `${role} tabs of ${section.id}`);
      for (const tab of section.tabs) {
        await page.locator(`.secondary-nav a.tab[data-tab="${tab.id}"]`).click();
        await page.waitForURL((u) => u.pathname === tab.route);
        await settle(page);
        assert(!(await page.getByText('Page not found').count()), `${role}: ${tab.route} shows "Page not found"`);
        assert(!(await page.getByText('You do not have access to this page').count()), `${role}: ${tab.route} is listed but forbidden`);
      }
    }
    await shot(page, screenshots, `role-${role.toLowerCase()}`);
  },
}));
