import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ProblemError, type LogRecord } from '@oneservice/plugin-sdk';
import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresLogStore } from '../src/server/postgres-log-store.js';

/** What the embedded store adds beyond the port contract (which logs-contract.test.ts runs). */
describe('PostgresLogStore', () => {
  let database: TestDatabase;
  let store: PostgresLogStore;
  const base = Date.UTC(2025, 0, 1, 12, 0, 0);
  const messagesOf = async (query: string) => (await store.search({ query, order: 'asc', limit: 1000 })).items.map((i) => i.message);

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
    store = new PostgresLogStore(database.knex, randomUUID());
    const records: LogRecord[] = [
      { ts: base, level: 'trace', message: 'tick', service: 'a' },
      { ts: base + 1000, level: 'info', message: 'model loaded from s3://bucket/model.pt' },
      { ts: base + 2000, level: 'warn', message: 'gradient norm exploded', service: 'b' },
      { ts: base + 3000, level: 'error', message: 'worker died: exit code 137', service: 'b', fields: { code: '137', gpu: { index: 3 } } },
      { ts: base + 4000, level: 'fatal', message: 'abort (100%)', service: 'c' },
    ];
    await store.write(records);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('compares levels by severity', async () => {
    expect(await messagesOf('level:>=warn')).toEqual(['gradient norm exploded', 'worker died: exit code 137', 'abort (100%)']);
    expect(await messagesOf('level:[debug TO info]')).toEqual(['model loaded from s3://bucket/model.pt']);
    expect(await messagesOf('level:e*')).toEqual(['worker died: exit code 137']);
  });

  it('filters ts by ISO time or epoch milliseconds', async () => {
    expect(await messagesOf(`ts:[${new Date(base + 1000).toISOString()} TO ${base + 2000}]`)).toEqual(['model loaded from s3://bucket/model.pt', 'gradient norm exploded']);
    expect(await messagesOf(`ts:>${new Date(base + 3000).toISOString()}`)).toEqual(['abort (100%)']);
  });

  it('matches wildcards anywhere in a word, and punctuation as a substring', async () => {
    expect(await messagesOf('*ploded')).toEqual(['gradient norm exploded']);
    expect(await messagesOf('gr?dient')).toEqual(['gradient norm exploded']);
    expect(await messagesOf('"(100%)"')).toEqual(['abort (100%)']);
    expect(await messagesOf('%')).toEqual(['abort (100%)']);
  });

  it('lets NOT match records that lack the field', async () => {
    expect(await messagesOf('-service:b')).toEqual(['tick', 'model loaded from s3://bucket/model.pt', 'abort (100%)']);
    expect(await messagesOf('service:*')).toHaveLength(4);
  });

  it('matches fields by text whatever their JSON type, and nested paths', async () => {
    expect(await messagesOf('fields.code:137')).toEqual(['worker died: exit code 137']);
    expect(await messagesOf('fields.gpu.index:3')).toEqual(['worker died: exit code 137']);
    // A numeric range ignores a string-typed value instead of failing the cast.
    expect(await messagesOf('fields.code:>100')).toEqual([]);
  });

  it('answers a bad query with a 400 problem naming the position', async () => {
    const error = await store.search({ query: 'died AND (level:error' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 400, extra: { position: 21 } });
    expect((error as ProblemError).detail).toBe("Invalid log query at position 21: expected ')' to close the group opened at position 9 but found the end of the query");
  });

  it('rejects malformed cursors and limits, and records it cannot store', async () => {
    await expect(store.search({ after: 'abc' })).rejects.toMatchObject({ status: 400 });
    await expect(store.search({ limit: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(store.write([{ ts: base, level: 'loud' as never, message: 'x' }])).rejects.toMatchObject({ status: 400 });
    await expect(store.histogram({ buckets: 0 })).rejects.toMatchObject({ status: 400 });
  });

  it('stores a NUL character instead of rejecting the batch', async () => {
    const other = new PostgresLogStore(database.knex, randomUUID());
    await other.write([{ ts: base, level: 'info', message: 'bad\u0000byte', fields: { k: 'v\u0000' } }]);
    expect((await other.search({})).items[0]).toMatchObject({ message: 'bad\uFFFDbyte', fields: { k: 'v\uFFFD' } });
  });

  it('writes large batches in chunks, atomically', async () => {
    const other = new PostgresLogStore(database.knex, randomUUID());
    const many = Array.from({ length: 5001 }, (_, i) => ({ ts: base + i, level: 'info' as const, message: `line ${i}` }));
    await other.write(many);
    const histogram = await other.histogram({ buckets: 3, from: base, to: base + 5000 });
    expect(histogram.reduce((sum, b) => sum + b.count, 0)).toBe(5001);
    await expect(other.write([{ ts: base, level: 'info', message: 'ok' }, { ts: Number.NaN, level: 'info', message: 'bad' }])).rejects.toMatchObject({ status: 400 });
    expect((await other.search({ query: 'ok' })).items).toHaveLength(0);
  });

  it('starts a histogram at the earliest match when from is omitted', async () => {
    const histogram = await store.histogram({ buckets: 5, to: base + 4999 });
    expect(histogram[0]?.ts).toBe(base);
    expect(histogram.map((b) => b.count)).toEqual([1, 1, 1, 1, 1]);
  });

  it('answers full-text terms from the GIN index', async () => {
    await database.knex.raw('ANALYZE log_records');
    // A handful of rows would be read sequentially anyway; forbid that to see which index serves.
    const plan = await database.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      return trx.raw<{ rows: unknown[] }>("EXPLAIN SELECT id FROM log_records WHERE message_tsv @@ plainto_tsquery('simple', 'exploded')");
    });
    expect(JSON.stringify(plan.rows)).toContain('log_records_message_tsv');
  });
  it('follows in transaction order when transaction ids gain a digit', async () => {
    // Spend transaction ids (one per subtransaction) up to just below the next power of ten, so the
    // batches below straddle e.g. 9999 → 10000, where text order and number order part.
    const current = BigInt(((await database.knex.raw('SELECT pg_current_xact_id()::text AS xid')) as { rows: Array<{ xid: string }> }).rows[0]?.xid as string);
    const boundary = 10n ** BigInt(current.toString().length);
    const burn = Number(boundary - current - 3n);
    if (burn > 0) {
      await database.knex.raw(`CREATE TEMP TABLE IF NOT EXISTS spent_xids (x int); DO $$ BEGIN FOR i IN 1..${burn} LOOP BEGIN INSERT INTO spent_xids VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END $$`);
    }
    const runId = `digits-${randomUUID()}`;
    const { next: start } = await store.follow({ runId });
    const batches = Array.from({ length: 8 }, (_, b) => [0, 1].map((n) => ({ ts: base, level: 'info' as const, message: `batch ${b} line ${n}`, runId })));
    for (const batch of batches) await store.write(batch);
    const seen: string[] = [];
    let cursor = start;
    for (let pages = 0; pages < 20; pages++) {
      const page = await store.follow({ runId, cursor, limit: 3 });
      seen.push(...page.items.map((i) => i.message));
      cursor = page.next;
      if (page.items.length === 0) break;
    }
    expect(seen).toEqual(batches.flat().map((r) => r.message));
  });
  it('refuses a crafted follow cursor with a 400 before PostgreSQL sees it, and takes any well-formed one', async () => {
    const bad = [
      '0:5:', '9:5:', '5:9:4', '5:9:9', '5:9:7,6', '5:9:6,6', '5:9:6,', 'a:9:', '5:9', '5:9:~5:9:~1', '5:9:~5:9:~1~x',
      '99999999999999999999:99999999999999999999:', `5:9:~5:9:~${'9'.repeat(19)}~1`, `5:${'9'.repeat(19)}:`,
    ];
    for (const cursor of bad) {
      const outcome = await store.follow({ cursor }).then(() => 'accepted', (error: unknown) => (error instanceof ProblemError ? error.status : String(error)));
      expect([cursor, outcome]).toEqual([cursor, 400]);
    }
    // Well-formed but not from this store: a snapshot far in the future hides nothing new; one from
    // the start of time hands out everything of the run.
    const runId = `crafted-${randomUUID()}`;
    await store.write([{ ts: base, level: 'info', message: 'any', runId }]);
    expect((await store.follow({ runId, cursor: '9223372036854775806:9223372036854775806:' })).items).toEqual([]);
    expect((await store.follow({ runId, cursor: '1:1:' })).items.map((i) => i.message)).toEqual(['any']);
  });
});
