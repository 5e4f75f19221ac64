// Shared steps of the browser scenarios. Assertions throw with a message that says what was
// expected, so a failure line in scripts/e2e.mjs reads as a sentence.
import path from 'node:path';

export const PASSWORD = 'oneservice-demo';
export const ROLES = ['TENANT_ADMIN', 'SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM', 'READONLY'];
export const emailFor = (role, tenant = 'demo-tenant') => `${role.toLowerCase()}@${tenant}.local`;
export const SUPER_ADMIN = 'admin@oneservice.local';

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Signs in through the API (for setup and for checking what the server says). */
export async function apiLogin(baseUrl, email, password = PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: email, password }) });
  if (!res.ok) throw new Error(`API sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function api(baseUrl, token, method, p, body, tenant) {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (tenant) headers['x-oneservice-tenant'] = tenant;
  const res = await fetch(`${baseUrl}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Signs in through the login form and waits for the frame. */
export async function uiLogin(page, email, password = PASSWORD, target = '/') {
  await page.goto(target);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.app').waitFor({ timeout: 15_000 });
  await settle(page);
}

/**
 * Waits until no page is loading (page chunk, table data, chart library) and every chart on screen
 * has painted (`data-drawn`, set on ECharts' `finished`; a chart showing an error never paints).
 */
export async function settle(page) {
  // A live page keeps a stream open (GET /runs/stream, log follow), so the network never goes idle
  // there: give it a moment, then rely on the loading states below.
  await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
  // Only visible spinners count: finished tables and charts keep a hidden one in their overlay.
  await page
    .waitForFunction(() => {
      const visible = (el) => el.offsetParent !== null;
      if ([...document.querySelectorAll('.state-loading, [aria-busy="true"]')].some(visible)) return false;
      return [...document.querySelectorAll('.chart:not([data-drawn])')].every((c) => !visible(c) || c.querySelector('.state-error'));
    }, undefined, { timeout: 15_000 })
    .catch(() => undefined);
}

/** Resolves with the next response whose URL path ends with `suffix` (set up before the action). */
export function nextResponse(page, suffix, method) {
  return page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(suffix) && (!method || r.request().method() === method));
}

export async function navSectionIds(page) {
  return page.locator('.primary-nav a.nav-item').evaluateAll((links) => links.map((a) => a.getAttribute('data-section')));
}

export async function shot(page, screenshots, name) {
  await page.screenshot({ path: path.join(screenshots, `${name.replace(/[^a-z0-9.-]+/gi, '-')}.png`), fullPage: false });
}
