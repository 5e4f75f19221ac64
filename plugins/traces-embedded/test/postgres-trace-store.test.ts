import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { SpanRecord } from '@oneservice/plugin-sdk';
import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresTraceStore } from '../src/server/postgres-trace-store.js';

/** What the embedded store adds beyond the port contract (which traces-contract.test.ts runs). */
describe('PostgresTraceStore', () => {
  let database: TestDatabase;
  let store: PostgresTraceStore;
  const span = (s: Partial<SpanRecord> & Pick<SpanRecord, 'spanId' | 'start' | 'end'>): SpanRecord => ({ traceId: 't1', name: 'op', service: 'svc', status: 'ok', ...s });

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
    store = new PostgresTraceStore(database.knex, randomUUID());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('keeps sub-millisecond times and treats an empty parent id as a root', async () => {
    await store.writeSpans([span({ spanId: 'a', parentSpanId: '', start: 1000.125, end: 1002.5, name: 'root' })]);
    expect(await store.getTrace('t1')).toEqual([expect.objectContaining({ spanId: 'a', parentSpanId: null, start: 1000.125, end: 1002.5 })]);
  });

  it('takes as root a span whose parent never arrived, and skips duplicates inside one batch', async () => {
    const child = span({ traceId: 't2', spanId: 'c', parentSpanId: 'missing', start: 10, end: 30, name: 'orphan', service: 'x' });
    await store.writeSpans([child, child, span({ traceId: 't2', spanId: 'd', parentSpanId: 'c', start: 5, end: 8, name: 'early child', service: 'y' })]);
    const [summary] = await store.findTraces({ service: 'x' });
    expect(summary).toMatchObject({ traceId: 't2', rootName: 'orphan', rootService: 'x', spanCount: 2, start: 5, durationMs: 25, services: ['x', 'y'] });
  });

  it('refuses spans it cannot store with a 400, writing none of the batch', async () => {
    const bad: Array<Partial<SpanRecord>> = [{ end: 1 }, { status: 'weird' as never }, { traceId: '' }, { start: Number.NaN }];
    for (const fault of bad) {
      await expect(store.writeSpans([span({ traceId: 't3', spanId: 'ok', start: 5, end: 6 }), { ...span({ traceId: 't3', spanId: 'bad', start: 5, end: 6 }), ...fault }])).rejects.toMatchObject({ status: 400 });
    }
    expect(await store.getTrace('t3')).toBeNull();
    await expect(store.findTraces({ limit: 0 })).rejects.toMatchObject({ status: 400 });
  });

  it('matches boolean tags given as text', async () => {
    await store.writeSpans([span({ traceId: 't4', spanId: 'e', start: 50, end: 60, service: 'z', attributes: { cached: true } })]);
    expect((await store.findTraces({ service: 'z', tags: { cached: 'true' } })).map((t) => t.traceId)).toEqual(['t4']);
    expect(await store.findTraces({ service: 'z', tags: { cached: 'false' } })).toEqual([]);
  });
});
