import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresEventStore } from '../src/server/postgres-event-store.js';

/** What the embedded store adds beyond the port contract (which events-contract.test.ts runs). */
describe('PostgresEventStore', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
    store = new PostgresEventStore(database.knex, randomUUID());
    await store.write([
      { ts: 1000, type: 'quota_100%', source: 'agent', severity: 'info', message: 'disk at 100% on node_1' },
      { ts: 2000, type: 'other', source: 'agent', severity: 'info', message: 'plain text' },
    ]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('treats % and _ in the text as characters, not LIKE wildcards', async () => {
    expect((await store.search({ text: '100%' })).items.map((e) => e.type)).toEqual(['quota_100%']);
    expect((await store.search({ text: 'node_1' })).items.map((e) => e.type)).toEqual(['quota_100%']);
    expect((await store.search({ text: '%' })).items.map((e) => e.type)).toEqual(['quota_100%']);
  });

  it('refuses unknown severities, bad cursors and bad limits with a 400', async () => {
    await expect(store.search({ severities: ['loud' as never] })).rejects.toMatchObject({ status: 400 });
    await expect(store.write([{ ts: 1, type: 't', source: 's', severity: 'loud' as never }])).rejects.toMatchObject({ status: 400 });
    await expect(store.search({ after: '1; DROP' })).rejects.toMatchObject({ status: 400 });
    await expect(store.search({ limit: -1 })).rejects.toMatchObject({ status: 400 });
  });

  it('writes a batch atomically', async () => {
    const other = new PostgresEventStore(database.knex, randomUUID());
    await expect(other.write([{ ts: 1, type: 'ok', source: 's', severity: 'info' }, { ts: Number.NaN, type: 'bad', source: 's', severity: 'info' }])).rejects.toMatchObject({ status: 400 });
    expect((await other.search({})).items).toEqual([]);
  });
});
