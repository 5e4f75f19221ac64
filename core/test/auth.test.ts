import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestKernel, TEST_PASSWORD, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { deriveKey, loadRootSecret } from '../src/platform/secrets.js';

let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_SECONDS: '120' } });
});
afterAll(async () => {
  await k?.stop();
});

const login = (body: unknown) => k.request('POST', '/api/v1/auth/login', { body });

async function jwtKey() {
  return deriveKey(await loadRootSecret(k.kernel.knex, undefined), 'jwt');
}

describe('password sign-in', () => {
  it('accepts JSON and OAuth2 form bodies and audits the sign-in', async () => {
    const json = await login({ username: k.emailOf('a', 'PM'), password: TEST_PASSWORD });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const form = await k.request('POST', '/api/v1/auth/login', {
      rawBody: new URLSearchParams({ grant_type: 'password', username: k.emailOf('a', 'PM'), password: TEST_PASSWORD }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(200);
    const audit = await k.request('GET', `/api/v1/audit?action=auth.login&actor=${encodeURIComponent(k.emailOf('a', 'PM'))}`, { token: await k.login('a') });
    expect(audit.body.items.filter((e: { outcome: string }) => e.outcome === 'success').length).toBeGreaterThanOrEqual(2);
  });

  it('says which field is missing', async () => {
    const response = await login({ username: 'x@y.z' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([{ in: 'body', path: 'password', message: expect.any(String) }]);
  });

  it('refuses a wrong password, audits it, and throttles the account with a retry time', async () => {
    const email = k.emailOf('b', 'SRE');
    for (let i = 0; i < 3; i += 1) {
      const wrong = await login({ username: email, password: 'not-the-password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.detail).toBe('wrong email or password');
    }
    const throttled = await login({ username: email, password: TEST_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(throttled.body.retry_after).toBeGreaterThan(100);
    expect(throttled.body.detail).toMatch(/try again in \d+ seconds/);
    const audit = await k.request('GET', `/api/v1/audit?action=auth.login&outcome=failure&actor=${encodeURIComponent(email)}`, { token: await k.login('b') });
    expect(audit.body.total).toBe(4);
    await k.kernel.knex('login_failures').delete();
  });
});

describe('access tokens (JWT)', () => {
  it('refuses alg none', async () => {
    const token = new UnsecuredJWT({ tid: k.tenants.a.id }).setSubject(k.tenants.a.users.TENANT_ADMIN).setIssuer('oneservice').setAudience('oneservice-api').setExpirationTime('5m').encode();
    const response = await k.request('GET', '/api/v1/me', { token });
    expect(response.status).toBe(401);
  });

  it('refuses a tampered signature and a tampered payload', async () => {
    const token = await k.login('a', 'READONLY');
    const [header, payload, signature] = token.split('.');
    const flipped = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await k.request('GET', '/api/v1/me', { token: flipped })).status).toBe(401);
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: k.tenants.a.users.TENANT_ADMIN })).toString('base64url');
    expect((await k.request('GET', '/api/v1/me', { token: `${header}.${forged}.${signature}` })).status).toBe(401);
  });

  it('refuses an expired token with a message that says to refresh', async () => {
    const token = await new SignJWT({ tid: k.tenants.a.id }).setProtectedHeader({ alg: 'HS256' }).setSubject(k.tenants.a.users.PM)
      .setIssuer('oneservice').setAudience('oneservice-api').setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(await jwtKey());
    const response = await k.request('GET', '/api/v1/me', { token });
    expect(response.status).toBe(401);
    expect(response.body.detail).toBe('access token expired: refresh it');
  });

  it('refuses a token signed with another key', async () => {
    const token = await new SignJWT({ tid: k.tenants.a.id }).setProtectedHeader({ alg: 'HS256' }).setSubject(k.tenants.a.users.PM)
      .setIssuer('oneservice').setAudience('oneservice-api').setExpirationTime('5m').sign(new Uint8Array(32).fill(7));
    expect((await k.request('GET', '/api/v1/me', { token })).status).toBe(401);
  });
});

describe('a deactivated user', () => {
  it('loses access at once, with access tokens and API tokens alike (the user-row cache is dropped)', async () => {
    const session = await k.login('b', 'DATA_SCIENTIST');
    const secret = await k.apiToken('b', 'DATA_SCIENTIST', ['read']);
    // Both credentials are known (cached) before the change.
    expect((await k.request('GET', '/api/v1/me', { token: session })).status).toBe(200);
    expect((await k.request('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    const admin = await k.login('b');
    const userId = k.tenants.b.users.DATA_SCIENTIST;
    expect((await k.request('PATCH', `/api/v1/users/${userId}`, { token: admin, body: { is_active: false } })).status).toBe(200);
    const jwt = await k.request('GET', '/api/v1/me', { token: session });
    expect(jwt.status).toBe(401);
    expect(jwt.body.detail).toBe('this account is disabled or no longer exists');
    const api = await k.request('GET', '/api/v1/me', { token: secret });
    expect(api.status).toBe(401);
    expect(api.body.detail).toBe('the owner of this API token is disabled');
    expect((await k.request('PATCH', `/api/v1/users/${userId}`, { token: admin, body: { is_active: true } })).status).toBe(200);
    expect((await k.request('GET', '/api/v1/me', { token: session })).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate, and a reused one revokes the whole family', async () => {
    const first = await login({ username: k.emailOf('a', 'ML_ENGINEER'), password: TEST_PASSWORD });
    const second = await k.request('POST', '/api/v1/auth/token/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await k.request('GET', '/api/v1/me', { token: second.body.access_token })).status).toBe(200);
    const replay = await k.request('POST', '/api/v1/auth/token/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toContain('already used');
    // The thief's replay also killed the legitimate newer token.
    const afterReplay = await k.request('POST', '/api/v1/auth/token/refresh', { body: { refresh_token: second.body.refresh_token } });
    expect(afterReplay.status).toBe(401);
    const audit = await k.request('GET', '/api/v1/audit?action=auth.refresh_reused', { token: await k.login('a') });
    expect(audit.body.total).toBe(1);
  });

  it('stop working after logout', async () => {
    const session = await login({ username: k.emailOf('a', 'PM'), password: TEST_PASSWORD });
    expect((await k.request('POST', '/api/v1/auth/logout', { body: { refresh_token: session.body.refresh_token } })).status).toBe(204);
    const refreshed = await k.request('POST', '/api/v1/auth/token/refresh', { body: { refresh_token: session.body.refresh_token } });
    expect(refreshed.status).toBe(401);
  });
});

describe('API tokens', () => {
  it('are shown once, stored only as a hash, listed without the secret, and die when revoked', async () => {
    const session = await k.login('a', 'ML_ENGINEER');
    const created = await k.request('POST', '/api/v1/auth/api-token', { token: session, body: { name: 'trainer', scopes: ['read'], expires_in_days: 7 } });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^ost_/);
    const stored = await k.kernel.knex('api_tokens').where({ id: created.body.token.id }).first();
    expect(JSON.stringify(stored)).not.toContain(secret);
    const listed = await k.request('GET', '/api/v1/auth/api-tokens', { token: session });
    expect(listed.text).not.toContain(secret);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(created.body.token.id);
    expect((await k.request('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    expect((await k.request('DELETE', `/api/v1/auth/api-tokens/${created.body.token.id}`, { token: session })).status).toBe(204);
    const revoked = await k.request('GET', '/api/v1/me', { token: secret });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toBe('API token was revoked');
    const audit = await k.request('GET', '/api/v1/audit?action=api_token.*', { token: await k.login('a') });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['api_token.create', 'api_token.revoke']));
  });

  it('may do only what its scopes and its user’s role both allow', async () => {
    const readOnlyScope = await k.apiToken('a', 'TENANT_ADMIN', ['read']);
    expect((await k.request('GET', '/api/v1/users', { token: readOnlyScope })).status).toBe(200);
    const write = await k.request('POST', '/api/v1/users', { token: readOnlyScope, body: { email: 'new@a.test', display_name: 'N', role: 'PM', password: 'long-enough-password' } });
    expect(write.status).toBe(403);
    expect(write.body.detail).toBe('this API token lacks the write scope');
    const pmToken = await k.apiToken('a', 'PM', ['read']);
    const byRole = await k.request('GET', '/api/v1/users', { token: pmToken });
    expect(byRole.status).toBe(403);
    expect(byRole.body.detail).toBe('your role does not have the users:read permission');
  });

  it('offer and take only the scopes the role can use somewhere, and a refusal names the scope', async () => {
    // The bare kernel: a tenant admin may write (users, settings); a PM may only read, and no kernel route ingests.
    const scopesOf = async (role: 'TENANT_ADMIN' | 'PM') => (await k.request('GET', '/api/v1/auth/api-token/scopes', { token: await k.login('a', role) })).body.scopes;
    expect(await scopesOf('TENANT_ADMIN')).toEqual(['read', 'write']);
    expect(await scopesOf('PM')).toEqual(['read']);
    const refused = await k.request('POST', '/api/v1/auth/api-token', { token: await k.login('a', 'PM'), body: { name: 'pm', scopes: ['read', 'write', 'ingest'] } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toBe('your role cannot use the write, ingest scopes; it can use read');
    expect(refused.body.errors).toEqual([{ path: 'scopes', message: 'your role cannot use the write scope' }, { path: 'scopes', message: 'your role cannot use the ingest scope' }]);
    const tokens = await k.request('GET', '/api/v1/auth/api-tokens', { token: await k.login('a', 'PM') });
    expect(tokens.body.items.map((t: { name: string }) => t.name)).not.toContain('pm');
  });

  it('cannot manage API tokens', async () => {
    const token = await k.apiToken('a', 'TENANT_ADMIN', ['read', 'write']);
    const response = await k.request('POST', '/api/v1/auth/api-token', { token, body: { name: 'child', scopes: ['read'] } });
    expect(response.status).toBe(403);
  });

  it('expire', async () => {
    const token = await k.apiToken('a', 'PM', ['read']);
    await k.kernel.knex('api_tokens').where({ name: 'test read' }).update({ expires_at: new Date(Date.now() - 1000) });
    const response = await k.request('GET', '/api/v1/me', { token });
    expect(response.status).toBe(401);
    expect(response.body.detail).toContain('expired');
  });

  it('of tenant A cannot act in tenant B, by header or by ids', async () => {
    const token = await k.apiToken('a', 'TENANT_ADMIN', ['read', 'write']);
    const byHeader = await k.request('GET', '/api/v1/users', { token, headers: { 'X-OneService-Tenant': k.tenants.b.slug } });
    expect(byHeader.status).toBe(403);
    const byId = await k.request('GET', `/api/v1/users/${k.tenants.b.users.PM}`, { token });
    expect(byId.status).toBe(404);
    const patch = await k.request('PATCH', `/api/v1/users/${k.tenants.b.users.PM}`, { token, body: { role: 'TENANT_ADMIN' } });
    expect(patch.status).toBe(404);
    const row = await k.kernel.knex('users').where({ id: k.tenants.b.users.PM }).first();
    expect(row.role).toBe('PM');
  });
});

describe('a tenant admin and their own account', () => {
  it('cannot delete, deactivate or demote themselves (409); another admin of the tenant can', async () => {
    const admin = await k.login('b', 'TENANT_ADMIN');
    const self = k.tenants.b.users.TENANT_ADMIN;
    for (const [method, body] of [['DELETE', undefined], ['PATCH', { is_active: false }], ['PATCH', { role: 'READONLY' }]] as const) {
      const answer = await k.request(method, `/api/v1/users/${self}`, { token: admin, ...(body ? { body } : {}) });
      expect([method, answer.status, answer.headers.get('content-type')]).toEqual([method, 409, expect.stringContaining('application/problem+json')]);
    }
    // Renaming oneself is fine, and the account is as it was.
    expect((await k.request('PATCH', `/api/v1/users/${self}`, { token: admin, body: { display_name: 'Still admin' } })).status).toBe(200);
    expect(await k.kernel.knex('users').where({ id: self }).first('role', 'is_active')).toEqual({ role: 'TENANT_ADMIN', is_active: true });
    // A platform super-admin acting in the tenant is another admin.
    const root = await k.login('super');
    const demoted = await k.request('PATCH', `/api/v1/users/${self}`, { token: root, headers: { 'X-OneService-Tenant': k.tenants.b.slug }, body: { role: 'SRE' } });
    expect(demoted.status).toBe(200);
    const restored = await k.request('PATCH', `/api/v1/users/${self}`, { token: root, headers: { 'X-OneService-Tenant': k.tenants.b.slug }, body: { role: 'TENANT_ADMIN' } });
    expect(restored.status).toBe(200);
  });
});

describe('super-admin', () => {
  it('acts in a tenant only by naming it', async () => {
    const token = await k.login('super');
    const none = await k.request('GET', '/api/v1/users', { token });
    expect(none.status).toBe(400);
    expect(none.body.detail).toContain('X-OneService-Tenant');
    const inB = await k.request('GET', '/api/v1/users?page_size=200', { token, headers: { 'X-OneService-Tenant': k.tenants.b.slug } });
    expect(inB.status).toBe(200);
    expect(inB.body.items.every((u: { email: string }) => u.email.endsWith('@tenant-b.local'))).toBe(true);
    const tenants = await k.request('GET', '/api/v1/tenants', { token });
    expect(tenants.body.total).toBe(2);
  });
});
