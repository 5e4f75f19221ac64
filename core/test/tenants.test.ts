import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel({ plugins: ['lifecycle-base', 'objects-local'], pluginDirs: [fixtures] });
});
afterAll(async () => {
  await k?.stop();
});

it('lists, searches, sorts and pages tenants for the super-admin', async () => {
  const token = await k.login('super');
  const created = await k.request('POST', '/api/v1/tenants', { token, body: { slug: 'gamma', name: 'Gamma Lab' } });
  expect(created.status).toBe(201);
  const duplicate = await k.request('POST', '/api/v1/tenants', { token, body: { slug: 'gamma', name: 'Again' } });
  expect(duplicate.status).toBe(409);
  const page = await k.request('GET', '/api/v1/tenants?sort=-slug&page_size=2&page=1', { token });
  expect(page.body).toMatchObject({ total: 3, page: 1, page_size: 2 });
  expect(page.body.items.map((t: { slug: string }) => t.slug)).toEqual(['tenant-b', 'tenant-a']);
  const search = await k.request('GET', '/api/v1/tenants?q=gamm', { token });
  expect(search.body.items.map((t: { slug: string }) => t.slug)).toEqual(['gamma']);
  const suspended = await k.request('PATCH', `/api/v1/tenants/${created.body.id}`, { token, body: { status: 'suspended' } });
  expect(suspended.body.status).toBe('suspended');
});

it('deletes a tenant with its users, tokens, plugin rows and files, and audits it', async () => {
  const adminB = await k.login('b', 'TENANT_ADMIN');
  await k.apiToken('b', 'PM', ['read']);
  await k.kernel.knex('lifecycle_widgets').insert([{ tenant_id: k.tenants.a.id, name: 'keep' }, { tenant_id: k.tenants.b.id, name: 'gone' }]);
  const objects = (k.kernel as unknown as { services: { ports: { resolve(port: { id: string }, tenant: string): Promise<{ put(key: string, body: Buffer): Promise<unknown> }> } } }).services.ports;
  await (await objects.resolve({ id: 'objects' }, k.tenants.b.id)).put('runs/x/model.onnx', Buffer.from('bytes'));
  const tenantDir = path.join((k.kernel.services.config as { dataDir: string }).dataDir, 'objects', k.tenants.b.id);
  expect(existsSync(tenantDir)).toBe(true);

  const token = await k.login('super');
  expect((await k.request('DELETE', `/api/v1/tenants/${k.tenants.b.id}`, { token })).status).toBe(204);
  expect(await k.kernel.knex('users').where({ tenant_id: k.tenants.b.id }).count({ n: '*' })).toEqual([{ n: '0' }]);
  expect(await k.kernel.knex('api_tokens').where({ tenant_id: k.tenants.b.id }).count({ n: '*' })).toEqual([{ n: '0' }]);
  expect((await k.kernel.knex('lifecycle_widgets').select('name')).map((r) => r.name)).toEqual(['keep']);
  expect(existsSync(tenantDir)).toBe(false);
  expect((await k.request('GET', '/api/v1/me', { token: adminB })).status).toBe(401);
  // A tenant's deletion is a platform event: the super-admin reads it without naming a tenant.
  const audit = await k.request('GET', '/api/v1/audit?action=tenant.delete', { token });
  expect(audit.body.items).toHaveLength(1);
  expect(audit.body.items[0]).toMatchObject({ actor_email: k.superAdmin.email, resource_id: k.tenants.b.id });
  const tenantAdmin = await k.request('GET', '/api/v1/audit?action=tenant.delete', { token: await k.login('a', 'TENANT_ADMIN') });
  expect(tenantAdmin.body.items).toHaveLength(0);
});
