import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventsPort, type EventsPort } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { createKernel, loadConfig, type Kernel } from '../src/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PLUGINS = ['fixture-datasource', 'events-embedded'];
let node1: TestKernel;
let node2: Kernel;
let bindingReads = 0;

beforeAll(async () => {
  node1 = await startTestKernel({ plugins: PLUGINS, pluginDirs: [fixtures] });
  // A second platform node on the same database, as behind a load balancer.
  const config = loadConfig({ PORT: '0', DATABASE_URL: node1.database.url, LOG_LEVEL: 'silent', ONESERVICE_DEMO: 'false', ONESERVICE_DATA_DIR: `/tmp/oneservice-test-node2-${process.pid}` }, { pluginSource: 'ts' });
  node2 = await createKernel(config, { plugins: PLUGINS, pluginDirs: [fixtures] });
  node2.knex.on('query', (query: { sql: string }) => {
    if (query.sql.includes('datasource_bindings')) bindingReads += 1;
  });
});
afterAll(async () => {
  await node2?.stop();
  await node1?.stop();
});

const firstEventType = async (kernel: { services: unknown }, tenantId: string) => {
  const ports = (kernel.services as { ports: { resolve(port: typeof eventsPort, tenant: string): Promise<EventsPort> } }).ports;
  return (await (await ports.resolve(eventsPort, tenantId)).search({})).items[0]?.type ?? 'embedded, empty';
};

/** Waits (bounded) for node 2 to see what node 1 changed: the notification crosses PostgreSQL. */
async function eventually(read: () => Promise<string>, expected: string): Promise<string> {
  let seen = await read();
  for (let i = 0; i < 100 && seen !== expected; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await read();
  }
  return seen;
}

it('reads a tenant’s binding once, and every node drops it when a binding changes on another', async () => {
  const tenant = node1.tenants.a.id;
  expect(await firstEventType(node2, tenant)).toBe('embedded, empty');
  expect(await firstEventType(node2, tenant)).toBe('embedded, empty');
  expect(bindingReads).toBe(1);

  const admin = await node1.login('a', 'TENANT_ADMIN');
  const created = await node1.request('POST', '/api/v1/datasources', { token: admin, body: { plugin_id: 'fixture-datasource', name: 'engine', settings: { url: 'http://127.0.0.1:9200' } } });
  expect(created.status).toBe(201);
  // The node that made the change drops its cache at once; the other on the notification.
  expect(await firstEventType(node1.kernel, tenant)).toBe('from http://127.0.0.1:9200');
  expect(await eventually(() => firstEventType(node2, tenant), 'from http://127.0.0.1:9200')).toBe('from http://127.0.0.1:9200');
  // The other tenant's cached instance was not touched by tenant a's change.
  expect(await firstEventType(node2, node1.tenants.b.id)).toBe('embedded, empty');

  const changed = await node1.request('PATCH', `/api/v1/datasources/${created.body.id}`, { token: admin, body: { settings: { url: 'http://127.0.0.1:9201' } } });
  expect(changed.status).toBe(200);
  expect(await eventually(() => firstEventType(node2, tenant), 'from http://127.0.0.1:9201')).toBe('from http://127.0.0.1:9201');

  expect((await node1.request('DELETE', `/api/v1/datasources/${created.body.id}`, { token: admin })).status).toBe(204);
  expect(await eventually(() => firstEventType(node2, tenant), 'embedded, empty')).toBe('embedded, empty');
  const reads = bindingReads;
  await firstEventType(node2, tenant);
  expect(bindingReads).toBe(reads);
});
