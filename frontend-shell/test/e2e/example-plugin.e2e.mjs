import { assert, emailFor, settle, uiLogin } from './helpers.mjs';

export const tests = [
  {
    name: 'the example plugin page loads, draws its chart and table, and keeps state across its tabs',
    async run({ page }) {
      const moduleRequests = [];
      page.on('request', (r) => {
        if (r.url().includes('/plugins/example-hello/ui.js')) moduleRequests.push(r.url());
      });
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, '/hello');
      await page.locator('.page[data-page="example-hello"]').waitFor();
      await page.getByRole('heading', { name: 'Hello', exact: true }).waitFor();
      await page.locator('.chart-plot canvas').first().waitFor({ timeout: 15_000 });
      const rows = await page.locator('.data-table tbody tr[data-index]').count();
      assert(rows > 0, 'the permissions table has rows');
      await page.getByText('"email": "ml_engineer@demo-tenant.local"').waitFor();
      // Changing the range re-draws; the picker writes the URL.
      await page.locator('.topbar .trp-trigger').click();
      await page.getByRole('button', { name: 'Last 6 hours' }).click();
      await page.waitForURL((u) => u.searchParams.get('from') === 'now-6h');
      await page.locator('.stat-value', { hasText: '360' }).waitFor();
      // Its second tab is served by the same module without a reload of it.
      await page.locator('a.tab[data-tab="about"]').click();
      await page.getByRole('heading', { name: 'About this plugin' }).waitFor();
      await settle(page);
      assert(moduleRequests.length === 1, `the module is fetched once (${moduleRequests.length})`);
    },
  },
];
