// The ui kit's interactive parts, driven as a user would: a 10k-row virtualised table, the column
// chooser, the chart (drag-to-zoom, legend, line/bar), global search with a plugin's provider, and
// keyboard-only dialogs and tables. Every wait is on a condition the page exposes.
import { assert, assertEqual, emailFor, settle, uiLogin } from './helpers.mjs';

const activeIndex = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-index'));
const headers = (page) => page.locator('.data-table thead th').allTextContents();

/** Pixels of the canvas whose colour is within a small distance of the CSS variable's colour. */
function countSeriesPixels(page, cssVar) {
  return page.evaluate((name) => {
    const hex = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const canvas = document.querySelector('.chart-plot canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n += 1;
    }
    return n;
  }, cssVar);
}

/** Waits until the chart has painted its current option (`data-drawn`, set on ECharts' `finished`). */
const chartDrawn = (page) => page.locator('.chart[data-drawn="true"]').first().waitFor({ timeout: 15_000 });

export const tests = [
  {
    name: 'a 10,000-row table keeps only a window of rows in the page; scrolling and End reach row 10,000',
    async run({ page }) {
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, '/hello/rows');
      const rows = page.locator('.data-table tbody tr[data-index]');
      await rows.first().waitFor();
      await page.locator('.table-footer', { hasText: '10,000 rows' }).waitFor();
      const inDom = await rows.count();
      assert(inDom > 10 && inDom < 100, `only a window of rows is rendered (${inDom})`);
      assertEqual(await page.locator('.data-table').getAttribute('aria-rowcount'), '10001', 'aria-rowcount tells assistive tech the full size');

      // Scrolling to the end renders the last rows (and still only a window).
      await page.locator('.table-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      const last = page.locator('.data-table tbody tr[data-index="9999"]');
      await last.waitFor();
      assertEqual(await last.locator('td').first().textContent(), '10000', 'the last row is row 10,000');
      assert((await rows.count()) < 100, 'still only a window after scrolling');
      assert(!(await page.locator('.data-table tbody tr[data-index="0"]').count()), 'the first row left the DOM');

      // Keyboard: Home and End move focus across all 10,000 rows, rendering where focus goes.
      await last.focus();
      await page.keyboard.press('Home');
      await page.locator('.data-table tbody tr[data-index="0"]').waitFor();
      assertEqual(await activeIndex(page), '0', 'Home focuses the first row');
      await page.keyboard.press('ArrowDown');
      assertEqual(await activeIndex(page), '1', 'ArrowDown moves one row');
      await page.keyboard.press('End');
      assertEqual(await activeIndex(page), '9999', 'End focuses row 10,000');

      // Sorting 10,000 rows in the browser: descending by # puts row 10,000 first.
      await page.getByRole('button', { name: /^#/ }).click();
      await page.getByRole('button', { name: /^#/ }).click();
      await page.waitForURL((u) => u.searchParams.get('rows.sort') === '-n');
      await page.locator('.table-scroll').evaluate((el) => el.scrollTo({ top: 0 }));
      await page.locator('.data-table tbody tr[data-index="0"] td', { hasText: /^10000$/ }).waitFor();
    },
  },
  {
    name: 'the column chooser hides a column by keyboard, and the choice survives a reload',
    async run({ page }) {
      await uiLogin(page, emailFor('TENANT_ADMIN'), undefined, '/admin/users');
      await page.locator('.data-table tbody tr[data-index]').first().waitFor();
      assert((await headers(page)).some((t) => t.startsWith('Name')), 'Name is shown by default');
      assert(!(await headers(page)).some((t) => t.startsWith('Last sign-in')), 'Last sign-in is hidden by default');
      const trigger = page.getByRole('button', { name: 'Columns' });
      await trigger.focus();
      await page.keyboard.press('Enter');
      const chooser = page.getByRole('dialog', { name: 'Choose columns' });
      await chooser.waitFor();
      await chooser.getByRole('checkbox', { name: 'Name' }).focus();
      await page.keyboard.press('Space');
      await page.waitForFunction(() => ![...document.querySelectorAll('.data-table thead th')].some((th) => th.textContent.startsWith('Name')));
      await chooser.getByRole('checkbox', { name: 'Last sign-in' }).check();
      await page.keyboard.press('Escape');
      await chooser.waitFor({ state: 'detached' });
      assertEqual(await trigger.evaluate((el) => el === document.activeElement), true, 'Escape gives focus back to the Columns button');

      // A personal preference (localStorage per table), not view state: not in the URL, kept on reload.
      assert(!new URL(page.url()).search.includes('Name'), 'the choice is not in the URL');
      await page.reload();
      await page.locator('.data-table tbody tr[data-index]').first().waitFor();
      const after = await headers(page);
      assert(!after.some((t) => t.startsWith('Name')), `Name stays hidden after reload (${after.join(' | ')})`);
      assert(after.some((t) => t.startsWith('Last sign-in')), 'Last sign-in stays shown after reload');
    },
  },
  {
    name: 'chart: drag-to-zoom sets the URL time range; the legend and the line/bar switch redraw the plot',
    async run({ page }) {
      await uiLogin(page, emailFor('ML_ENGINEER'), undefined, '/hello?from=now-1h&to=now');
      await chartDrawn(page);
      const plot = page.locator('.chart-plot').first();

      // Legend (HTML buttons, keyboard-operable): hiding signal-b removes its pixels from the canvas.
      const legendB = page.getByRole('button', { name: 'signal-b' });
      assertEqual(await legendB.getAttribute('aria-pressed'), 'true', 'signal-b starts shown');
      const bBefore = await countSeriesPixels(page, '--chart-2');
      assert(bBefore > 200, `signal-b is drawn (${bBefore} px)`);
      await legendB.focus();
      await page.keyboard.press('Enter');
      await chartDrawn(page);
      assertEqual(await legendB.getAttribute('aria-pressed'), 'false', 'signal-b is switched off');
      const bHidden = await countSeriesPixels(page, '--chart-2');
      assert(bHidden < bBefore * 0.05, `signal-b disappears from the plot (${bBefore} → ${bHidden} px)`);
      await legendB.click();
      await chartDrawn(page);
      assert((await countSeriesPixels(page, '--chart-2')) > bBefore * 0.8, 'signal-b comes back');

      // Line → bars: filled bars paint many times the pixels of a 1.5 px line.
      const linePixels = await countSeriesPixels(page, '--chart-1');
      await page.getByRole('button', { name: 'Bars' }).click();
      await chartDrawn(page);
      assertEqual(await page.getByRole('button', { name: 'Bars' }).getAttribute('aria-pressed'), 'true', 'Bars is pressed');
      const barPixels = await countSeriesPixels(page, '--chart-1');
      assert(barPixels > linePixels * 3, `bars fill the plot (${linePixels} px as a line, ${barPixels} px as bars)`);
      await page.getByRole('button', { name: 'Line' }).click();
      await chartDrawn(page);

      // Drag across 40%–70% of the plot: the global range becomes that absolute interval.
      const box = await plot.boundingBox();
      const y = box.y + box.height / 2;
      const before = Date.now();
      await page.mouse.move(box.x + box.width * 0.4, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, y, { steps: 8 });
      await page.mouse.up();
      await page.waitForURL((u) => /^\d{4}-\d\d-\d\dT/.test(u.searchParams.get('from') ?? ''));
      const url = new URL(page.url());
      const from = Date.parse(url.searchParams.get('from'));
      const to = Date.parse(url.searchParams.get('to'));
      const span = (to - from) / 60_000;
      assert(span > 8 && span < 25, `the zoomed range is about 30% of the hour (${span.toFixed(1)} min)`);
      assert(from > before - 3_600_000 && to <= before + 60_000, 'the zoomed range lies inside the last hour');
      assertEqual(url.searchParams.get('refresh'), null, 'a zoomed (absolute) range does not auto-refresh');
      await page.locator('.stat-value', { hasText: String(Math.round(span)) }).waitFor();
    },
  },
  {
    name: 'Ctrl+K finds a plugin-contributed result and a user, opened by keyboard',
    async run({ page }) {
      await uiLogin(page, emailFor('TENANT_ADMIN'));
      const pick = async (query, group, text) => {
        await page.keyboard.press('Control+k');
        const box = page.getByRole('combobox', { name: 'Search' });
        await box.waitFor();
        await page.keyboard.type(query);
        const option = page.getByRole('group', { name: group }).getByRole('option').filter({ hasText: text });
        await option.waitFor();
        // Arrow down to it: the active option is the combobox's aria-activedescendant.
        const id = await option.getAttribute('id');
        for (let i = 0; i < 30 && (await box.getAttribute('aria-activedescendant')) !== id; i++) await page.keyboard.press('ArrowDown');
        assertEqual(await box.getAttribute('aria-activedescendant'), id, `${text} is reachable by arrows`);
        await page.keyboard.press('Enter');
      };
      await pick('hello', 'Hello plugin', 'Hello page');
      await page.waitForURL((u) => u.pathname === '/hello');
      await page.getByRole('heading', { name: 'Hello', exact: true }).waitFor();

      const email = emailFor('SRE');
      await pick('sre@', 'Users', email);
      await page.waitForURL((u) => u.pathname === '/admin/users' && u.searchParams.get('open') !== null);
      await page.getByRole('dialog', { name: email }).waitFor();
    },
  },
  {
    name: 'keyboard only: a modal traps focus both ways and Esc closes it; table rows open with Enter',
    async run({ page }) {
      await uiLogin(page, emailFor('TENANT_ADMIN'), undefined, '/admin/users');
      await page.locator('.data-table tbody tr[data-index]').first().waitFor();
      const newUser = page.getByRole('button', { name: 'New user' });
      await newUser.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
      // Focus starts in the first field; Shift+Tab goes back to the header's close button, and once
      // more wraps round to the last control; Tab from there wraps to the close button again.
      const label = () => page.evaluate(() => {
        const el = document.activeElement;
        return el?.closest('[role="dialog"]') ? el.getAttribute('aria-label') ?? el.textContent.trim() : 'outside the dialog';
      });
      await page.keyboard.press('Shift+Tab');
      const closeLabel = await label();
      assert(/close/i.test(closeLabel), `Shift+Tab from the first field reaches the close button (${closeLabel})`);
      await page.keyboard.press('Shift+Tab');
      assertEqual(await label(), 'Create user', 'Shift+Tab from the first control wraps to the last');
      await page.keyboard.press('Tab');
      assertEqual(await label(), closeLabel, 'Tab from the last control wraps to the first');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assertEqual(await newUser.evaluate((el) => el === document.activeElement), true, 'focus returns to New user');

      // Rows: one tab stop; arrows move; Enter opens the row's panel; Esc closes it and returns focus.
      await page.locator('.data-table tbody tr[data-index="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assertEqual(await activeIndex(page), '1', 'arrows move between rows');
      assertEqual(await page.locator('.data-table tbody tr[tabindex="0"]').count(), 1, 'exactly one row is in the tab order');
      const email = await page.locator('.data-table tbody tr[data-index="1"] td').first().textContent();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: email });
      await panel.waitFor();
      await page.waitForURL((u) => u.searchParams.get('open') !== null);
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      assertEqual(await activeIndex(page), '1', 'focus returns to the row');
      await page.waitForURL((u) => u.searchParams.get('open') === null);
      await settle(page);
    },
  },
];
