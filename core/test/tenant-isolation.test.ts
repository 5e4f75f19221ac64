import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';

let k: TestKernel;
let adminA: string;
const idsOfB: Record<string, string> = {};

beforeAll(async () => {
  k = await startTestKernel({ plugins: ['logs-embedded'] });
  adminA = await k.login('a', 'TENANT_ADMIN');
  const adminB = await k.login('b', 'TENANT_ADMIN');
  const token = await k.request('POST', '/api/v1/auth/api-token', { token: adminB, body: { name: 'b-token', scopes: ['read'] } });
  idsOfB.apiToken = token.body.token.id;
  const binding = await k.request('POST', '/api/v1/datasources', { token: adminB, body: { plugin_id: 'logs-embedded', name: 'b-logs', settings: { password: 'b-secret' } } });
  expect(binding.status).toBe(201);
  idsOfB.datasource = binding.body.id;
  idsOfB.user = k.tenants.b.users.PM;
  idsOfB.tenant = k.tenants.b.id;
});
afterAll(async () => {
  await k?.stop();
});

describe('a tenant admin of A probing B’s ids', () => {
  const probes: { method: string; what: string; url: (ids: Record<string, string>) => string; body?: unknown }[] = [
    { method: 'GET', what: 'user', url: (ids) => `/api/v1/users/${ids.user}` },
    { method: 'PATCH', what: 'user', url: (ids) => `/api/v1/users/${ids.user}`, body: { role: 'TENANT_ADMIN' } },
    { method: 'DELETE', what: 'user', url: (ids) => `/api/v1/users/${ids.user}` },
    { method: 'DELETE', what: 'API token', url: (ids) => `/api/v1/auth/api-tokens/${ids.apiToken}` },
    { method: 'GET', what: 'tenant', url: (ids) => `/api/v1/tenants/${ids.tenant}` },
    { method: 'PATCH', what: 'datasource', url: (ids) => `/api/v1/datasources/${ids.datasource}`, body: { name: 'stolen' } },
    { method: 'DELETE', what: 'datasource', url: (ids) => `/api/v1/datasources/${ids.datasource}` },
  ];
  it.each(probes)('$method $what → 404, nothing changes', async ({ method, url, body }) => {
    const response = await k.request(method, url(idsOfB), { token: adminA, ...(body ? { body } : {}) });
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('tenant-b');
  });

  it('left B’s rows as they were', async () => {
    expect((await k.kernel.knex('users').where({ id: idsOfB.user }).first()).role).toBe('PM');
    expect((await k.kernel.knex('api_tokens').where({ id: idsOfB.apiToken }).first()).revoked_at).toBeNull();
    expect((await k.kernel.knex('datasource_bindings').where({ id: idsOfB.datasource }).first()).name).toBe('b-logs');
  });

  it('sees only A in every list, whatever the filter', async () => {
    const lists = ['/api/v1/users?page_size=200&q=tenant-b', '/api/v1/users?page_size=200', '/api/v1/tenants', '/api/v1/tenants?q=b', '/api/v1/datasources', '/api/v1/auth/api-tokens?all=true', `/api/v1/audit?page_size=200&actor=${k.tenants.b.users.TENANT_ADMIN}`, '/api/v1/audit?page_size=200&action=datasource.create'];
    for (const url of lists) {
      const response = await k.request('GET', url, { token: adminA });
      expect(response.status).toBe(200);
      expect(response.text).not.toContain('tenant-b');
      expect(response.text).not.toContain(idsOfB.datasource);
      expect(response.text).not.toContain(idsOfB.apiToken);
    }
  });

  it('never sees datasource secrets, even its own', async () => {
    const adminB = await k.login('b', 'TENANT_ADMIN');
    const response = await k.request('GET', '/api/v1/datasources', { token: adminB });
    expect(response.text).not.toContain('b-secret');
    expect(response.body.items[0].settings.password).toBe('••••••');
  });

  it('cannot create a tenant or enter B with the tenant header', async () => {
    expect((await k.request('POST', '/api/v1/tenants', { token: adminA, body: { slug: 'evil', name: 'Evil' } })).status).toBe(403);
    expect((await k.request('GET', '/api/v1/users', { token: adminA, headers: { 'X-OneService-Tenant': k.tenants.b.id } })).status).toBe(403);
  });
});
