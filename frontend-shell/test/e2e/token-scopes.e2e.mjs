import { api, apiLogin, assert, assertEqual, emailFor, settle, shot, uiLogin } from './helpers.mjs';

// The API-token dialog offers only the scopes the user's role can use somewhere; the server refuses
// the others too, naming them, so a read-only user never holds an ingest token that only gets 403.
export const tests = [
  {
    name: 'API-token dialog: a read-only user is offered read only, an ML engineer read, write and ingest',
    async run({ page, baseUrl, screenshots }) {
      for (const [role, offered] of [['READONLY', ['read']], ['ML_ENGINEER', ['read', 'write', 'ingest']]]) {
        await uiLogin(page, emailFor(role), undefined, '/admin/api-tokens');
        await settle(page);
        await page.getByRole('button', { name: 'New token' }).click();
        const dialog = page.getByRole('dialog', { name: 'New API token' });
        await dialog.getByText('Scopes').waitFor();
        const boxes = await dialog.locator('input[name="scopes"]').evaluateAll((inputs) => inputs.map((i) => i.value));
        assertEqual(boxes, offered, `scopes offered to ${role}`);
        if (role === 'READONLY') {
          await dialog.getByText('Your role cannot use write, ingest or export').waitFor();
          await shot(page, screenshots, 'light-api-token-dialog-readonly');
          const { access_token } = await apiLogin(baseUrl, emailFor(role));
          const refused = await api(baseUrl, access_token, 'POST', '/auth/api-token', { name: 'ro ingest', scopes: ['ingest'] });
          assertEqual(refused.status, 403, 'the server refuses an ingest token for READONLY');
          assert(refused.body.detail.includes('ingest'), `the refusal names the scope (got ${refused.body.detail})`);
        }
        await page.keyboard.press('Escape');
        await page.evaluate(() => localStorage.clear());
      }
    },
  },
];
