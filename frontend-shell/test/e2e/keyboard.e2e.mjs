import { assert, assertEqual, emailFor, settle, PASSWORD } from './helpers.mjs';

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}${el.id ? `#${el.id}` : ''} ${el.textContent?.trim().slice(0, 30) ?? ''}` : 'none';
});

export const tests = [
  {
    name: 'keyboard only: sign in, move through the menus, search, open and close a dialog',
    async run({ page }) {
      await page.goto('/');
      await page.getByLabel('Email', { exact: true }).waitFor();
      // The email field has focus on arrival.
      await page.keyboard.type(emailFor('TENANT_ADMIN'));
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.locator('.app').waitFor();
      await settle(page);

      // Skip link first, then the primary menu.
      await page.keyboard.press('Tab');
      assert((await focused(page)).includes('Skip to content'), `first Tab reaches the skip link (${await focused(page)})`);
      await page.keyboard.press('Tab'); // brand
      await page.keyboard.press('Tab'); // first section
      const first = await page.evaluate(() => document.activeElement?.getAttribute('data-section'));
      assert(first, 'Tab reaches the primary menu');
      await page.keyboard.press('ArrowDown');
      const second = await page.evaluate(() => document.activeElement?.getAttribute('data-section'));
      assert(second && second !== first, 'ArrowDown moves to the next section');
      await page.keyboard.press('Enter');
      await settle(page);
      assert(await page.locator(`.primary-nav a.is-active[data-section="${second}"]`).count(), 'Enter opens the section');

      // Ctrl+K → search → Enter goes to the Users page.
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox', { name: 'Search' }).waitFor();
      await page.keyboard.type('Users');
      // Results arrive per provider as the debounced query runs: wait for the full word's best hit.
      await page.locator('.search-option.is-active', { hasText: 'Users' }).waitFor();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/admin/users');
      await settle(page);

      // A dialog traps focus and Escape closes it, giving focus back.
      const newUser = page.getByRole('button', { name: 'New user' });
      await newUser.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.waitFor();
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        assert(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]'))), 'Tab stays inside the dialog');
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assertEqual(await page.evaluate(() => document.activeElement?.textContent), 'New user', 'focus returns to the button');

      // Table rows: one tab stop, arrows move.
      const firstRow = page.locator('.data-table tbody tr[data-index="0"]');
      await firstRow.focus();
      await page.keyboard.press('ArrowDown');
      assertEqual(await page.evaluate(() => document.activeElement?.getAttribute('data-index')), '1', 'ArrowDown moves to the next row');
    },
  },
];
