import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventsPort } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let k: TestKernel;
let admin: string;
beforeAll(async () => {
  k = await startTestKernel({ plugins: ['fixture-datasource', 'events-embedded'], pluginDirs: [fixtures] });
  admin = await k.login('a', 'TENANT_ADMIN');
});
afterAll(async () => {
  await k?.stop();
});

type EventsResolver = { resolve(port: { id: string }, tenant: string): Promise<{ search(q: object): Promise<{ items: { type: string }[] }> }> };
const portRegistry = () => (k.kernel.services as unknown as { ports: EventsResolver }).ports;

it('checks settings against the plugin’s JSON Schema, naming each field', async () => {
  const bad = await k.request('POST', '/api/v1/datasources', { token: admin, body: { plugin_id: 'fixture-datasource', name: 'bad', settings: { url: 'not a url', timeout_ms: 5, extra: true } } });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['settings', 'settings.timeout_ms', 'settings.url']);
});

it('tests a connection without saving it', async () => {
  const ok = await k.request('POST', '/api/v1/datasources/test', { token: admin, body: { plugin_id: 'fixture-datasource', settings: { url: 'http://127.0.0.1:9200' } } });
  expect(ok.body).toEqual({ ok: true, message: 'reached 127.0.0.1' });
  const unreachable = await k.request('POST', '/api/v1/datasources/test', { token: admin, body: { plugin_id: 'fixture-datasource', settings: { url: 'http://10.9.9.9:9200' } } });
  expect(unreachable.body).toEqual({ ok: false, message: 'cannot reach 10.9.9.9' });
  expect(await k.kernel.knex('datasource_bindings').count({ n: '*' })).toEqual([{ n: '0' }]);
});

it('routes a tenant’s port to its bound provider; other tenants keep the default; secrets stay sealed', async () => {
  const created = await k.request('POST', '/api/v1/datasources', { token: admin, body: { plugin_id: 'fixture-datasource', name: 'engine', settings: { url: 'http://127.0.0.1:9200', password: 's3cret' } } });
  expect(created.status).toBe(201);
  expect(created.body.settings).toEqual({ url: 'http://127.0.0.1:9200', password: '••••••', timeout_ms: 5000 });
  const row = await k.kernel.knex('datasource_bindings').where({ id: created.body.id }).first();
  expect(row.settings_sealed).not.toContain('s3cret');
  const ports = portRegistry();
  expect((await (await ports.resolve(eventsPort, k.tenants.a.id)).search({})).items[0]!.type).toBe('from http://127.0.0.1:9200');
  expect((await (await ports.resolve(eventsPort, k.tenants.b.id)).search({})).items).toEqual([]);

  // A masked value sent back keeps the stored secret; a changed field is checked again.
  const renamed = await k.request('PATCH', `/api/v1/datasources/${created.body.id}`, { token: admin, body: { settings: { url: 'http://127.0.0.1:9201', password: '••••••' } } });
  expect(renamed.status).toBe(200);
  const opened = JSON.parse((k.kernel.services as unknown as { secrets: { open(s: string): string } }).secrets.open((await k.kernel.knex('datasource_bindings').where({ id: created.body.id }).first()).settings_sealed));
  expect(opened).toEqual({ url: 'http://127.0.0.1:9201', password: 's3cret', timeout_ms: 5000 });
  expect((await k.request('PATCH', `/api/v1/datasources/${created.body.id}`, { token: admin, body: { settings: { timeout_ms: 1 } } })).status).toBe(400);

  const audit = await k.request('GET', '/api/v1/audit?action=datasource.*', { token: admin });
  expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['datasource.update', 'datasource.create']);
});

it('lets an SRE see bindings but not change them', async () => {
  const sre = await k.login('a', 'SRE');
  expect((await k.request('GET', '/api/v1/datasources', { token: sre })).status).toBe(200);
  expect((await k.request('POST', '/api/v1/datasources', { token: sre, body: { plugin_id: 'fixture-datasource', name: 'x', settings: { url: 'http://127.0.0.1' } } })).status).toBe(403);
});

it('answers 409 when a rename would take another binding’s name, in its own tenant only', async () => {
  const make = (name: string, token: string) => k.request('POST', '/api/v1/datasources', { token, body: { plugin_id: 'fixture-datasource', name, settings: { url: 'http://127.0.0.1:9200' } } });
  const first = await make('first', admin);
  const second = await make('second', admin);
  expect([first.status, second.status]).toEqual([201, 201]);
  const clash = await k.request('PATCH', `/api/v1/datasources/${second.body.id}`, { token: admin, body: { name: 'first' } });
  expect([clash.status, clash.body.detail]).toEqual([409, 'a datasource named first exists']);
  // Tenant B's admin may use the name, and cannot rename tenant A's binding.
  const adminB = await k.login('b', 'TENANT_ADMIN');
  const inB = await make('second', adminB);
  expect(inB.status).toBe(201);
  expect((await k.request('PATCH', `/api/v1/datasources/${inB.body.id}`, { token: adminB, body: { name: 'first' } })).status).toBe(200);
  expect((await k.request('PATCH', `/api/v1/datasources/${first.body.id}`, { token: adminB, body: { name: 'taken' } })).status).toBe(404);
});

it('answers 409, never 500, to concurrent creations of one name: one wins, the unique index refuses the rest', async () => {
  const answers = await Promise.all(Array.from({ length: 6 }, () => k.request('POST', '/api/v1/datasources', { token: admin, body: { plugin_id: 'fixture-datasource', name: 'raced', settings: { url: 'http://127.0.0.1:9200' } } })));
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
  expect(answers.every((a) => a.status === 201 || a.headers.get('content-type')?.includes('application/problem+json'))).toBe(true);
  expect(await k.kernel.knex('datasource_bindings').where({ tenant_id: k.tenants.a.id, name: 'raced' }).count({ n: '*' })).toEqual([{ n: '1' }]);
});
