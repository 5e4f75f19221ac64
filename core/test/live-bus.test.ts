import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { PostgresLiveBus } from '../src/platform/live-bus.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const next = (bus: PostgresLiveBus, tenant: string, topic: string) =>
  new Promise<unknown>((resolve) => void bus.subscribe(tenant, topic, resolve));

it('delivers across two nodes, only to the same tenant and topic, and survives a lost connection', async () => {
  const logger = pino({ level: 'silent' });
  const node1 = new PostgresLiveBus(database.url, logger);
  const node2 = new PostgresLiveBus(database.url, logger);
  await node1.start();
  await node2.start();
  try {
    const seen: unknown[] = [];
    const everyTenant: string[] = [];
    let reconnects = 0;
    node2.subscribeEveryTenant('run:1', (tenant) => everyTenant.push(tenant));
    node2.onReconnect(() => (reconnects += 1));
    await node2.subscribe('tenant-b', 'run:1', (p) => seen.push(p));
    const received = next(node2, 'tenant-a', 'run:1');
    await node1.publish('tenant-a', 'run:1', { points: 3 });
    expect(await received).toEqual({ points: 3 });
    expect(seen).toEqual([]);
    // The kernel's own listener hears the topic in every tenant.
    expect(everyTenant).toEqual(['tenant-a']);

    // Kill node2's listening connection the way a database restart would.
    await database.knex.raw(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
    let delivered: unknown = null;
    for (let i = 0; i < 40 && delivered === null; i += 1) {
      const attempt = next(node2, 'tenant-a', 'run:2');
      await node1.publish('tenant-a', 'run:2', { after: 'reconnect' });
      delivered = await Promise.race([attempt, new Promise((r) => setTimeout(() => r(null), 250))]);
    }
    expect(delivered).toEqual({ after: 'reconnect' });
    // Caches fed by notifications (the port registry's bindings) start over after a reconnect.
    expect(reconnects).toBe(1);
  } finally {
    await node1.stop();
    await node2.stop();
  }
});
