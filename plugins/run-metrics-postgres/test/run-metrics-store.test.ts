import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { runMetricPoints } from '../src/server/migrations/001-run-metric-points.js';
import { runMetricTiles } from '../src/server/migrations/002-run-metric-tiles.js';
import { finerTimeTiles } from '../src/server/migrations/003-finer-time-tiles.js';
import { runMetricBatches } from '../src/server/migrations/004-run-metric-batches.js';
import { CHUNK_POINTS, runMetricChunks } from '../src/server/migrations/005-run-metric-chunks.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';
import { migrations } from './migrations.js';

let database: TestDatabase;
const tenantA = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase();
  for (const migration of migrations) await migration.up(database.knex);
});
afterAll(async () => {
  await database.drop();
});

const store = (tenant: string) => new PostgresRunMetrics(database.knex, tenant);
const T0 = 1_764_060_000_000;

interface ChunkRow {
  n: number;
  step_lo: string | null;
  step_hi: string | null;
  epochs: number[] | null;
  steps: string[] | null;
}
const chunksOf = async (runId: string): Promise<ChunkRow[]> =>
  (await database.knex.raw('SELECT n, step_lo, step_hi, steps, epochs FROM run_metric_chunks WHERE run_id = ? ORDER BY step_lo NULLS FIRST, ts_lo', [runId])).rows;

// The port's behaviour is held by the contract suite (run-metrics-contract.test.ts); these are this provider's own.
describe('run-metrics on PostgreSQL', () => {
  it('a failed write leaves its key free, so the resend stores the batch', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA);
    const key = randomUUID();
    // PostgreSQL's text holds no NUL: the chunk COPY fails inside the transaction, after the key was inserted.
    await expect(metrics.write([{ runId, name: 'lo\u0000ss', value: 1, step: 0, ts: T0 }], { idempotencyKey: key })).rejects.toThrow();
    expect(await metrics.write([{ runId, name: 'loss', value: 1, step: 0, ts: T0 }], { idempotencyKey: key })).toEqual({ stored: true });
    expect((await metrics.summaries([runId]))[0]?.count).toBe(1);
  });

  it(`stores a write as chunks of at most ${CHUNK_POINTS} points per series, steps and epochs NULL where none is given`, async () => {
    const runId = randomUUID();
    const points = Array.from({ length: 5000 }, (_, i) => ({ runId, name: i % 2 ? 'loss' : 'lr', value: i, step: Math.floor(i / 2), ts: T0 + i }));
    await store(tenantA).write([...points, { runId, name: 'no-step', value: 1, ts: T0 }]);
    const chunks = await chunksOf(runId);
    // 2,500 points per stepped series → 1024 + 1024 + 452 each, and one chunk for the stepless point.
    expect(chunks.map((c) => c.n).sort((a, b) => a - b)).toEqual([1, 452, 452, 1024, 1024, 1024, 1024]);
    expect(chunks.every((c) => c.epochs === null)).toBe(true);
    const stepless = chunks.find((c) => c.n === 1)!;
    expect(stepless).toMatchObject({ step_lo: null, step_hi: null, steps: null });
    expect(chunks.filter((c) => c.step_lo === '0').map((c) => c.step_hi)).toEqual(['1023', '1023']);
  });

  it('never rewrites a chunk: a late or re-logged point is a chunk of its own that reads merge in', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA);
    await metrics.write(Array.from({ length: 2048 }, (_, step) => ({ runId, name: 'loss', value: step, step, ts: T0 + step })));
    const before = (await database.knex.raw('SELECT ctid::text AS at, n FROM run_metric_chunks WHERE run_id = ? ORDER BY step_lo', [runId])).rows;
    await metrics.write([{ runId, name: 'loss', value: -5, step: 5, ts: T0 + 10_000 }, { runId, name: 'loss', value: 0.5, step: 1500, ts: T0 + 10_001, epoch: 2 }]);
    const after = (await database.knex.raw('SELECT ctid::text AS at, n FROM run_metric_chunks WHERE run_id = ? ORDER BY step_lo', [runId])).rows;
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining(before));
    const late = (await chunksOf(runId)).find((c) => c.n === 2)!;
    expect(late).toMatchObject({ step_lo: '5', step_hi: '1500', steps: ['5', '1500'], epochs: [null, 2] });
    const exact = await metrics.series({ runId, name: 'loss', by: 'step', from: 4, to: 6, points: 10 });
    expect(exact.buckets.map((b) => b.last)).toEqual([4, 5, -5, 6]);
    const epochs = await metrics.series({ runId, name: 'loss', by: 'epoch', points: 10 });
    expect(epochs.buckets.map((b) => [b.x, b.last])).toEqual([[2, 0.5]]);
  });
});

describe('migration 005: from a row per point to chunks', () => {
  it('moves every point of the old layout into chunks, exactly, and drops the old table', async () => {
    const old = await createTestDatabase();
    try {
      for (const migration of [runMetricPoints, runMetricTiles, finerTimeTiles, runMetricBatches]) await migration.up(old.knex);
      const tenant = randomUUID();
      const [runId, other] = [randomUUID(), randomUUID()];
      // Rows as the old writer stored them: 2,500 stepped points, NaN and ±Infinity, a fractional
      // millisecond, epochs on some, a re-logged step, and a series without steps.
      await old.knex.raw(
        `INSERT INTO run_metric_points (tenant_id, run_id, name, step, epoch, ts, value)
         SELECT ?::uuid, ?::uuid, 'loss', s, CASE WHEN s % 1000 = 0 THEN s / 1000 END, to_timestamp((?::bigint + s * 10) / 1000.0),
                CASE s WHEN 3 THEN 'NaN'::float8 WHEN 4 THEN 'Infinity' WHEN 5 THEN '-Infinity' ELSE s END
         FROM generate_series(0, 2499) s`,
        [tenant, runId, T0],
      );
      await old.knex.raw(
        `INSERT INTO run_metric_points (tenant_id, run_id, name, step, epoch, ts, value) VALUES
           (?, ?, 'loss', 7, NULL, to_timestamp(? / 1000.0), 70.5), (?, ?, 'gpu', NULL, NULL, to_timestamp(? / 1000.0), 0.25)`,
        [tenant, runId, T0 + 99_999.125, tenant, other, T0 + 1.5],
      );
      await runMetricChunks.up(old.knex);

      const tables = await old.knex.raw(`SELECT relname FROM pg_class WHERE relname = 'run_metric_points'`);
      expect(tables.rows).toEqual([]);
      const chunks = (await old.knex.raw('SELECT run_id, n FROM run_metric_chunks ORDER BY run_id, step_lo NULLS FIRST')).rows;
      expect(chunks.filter((c: { run_id: string }) => c.run_id === runId).map((c: { n: number }) => c.n)).toEqual([1024, 1024, 453]);

      const metrics = new PostgresRunMetrics(old.knex, tenant);
      const head = await metrics.series({ runId, name: 'loss', by: 'step', from: 0, to: 8, points: 100 });
      expect(head.buckets.map((b) => [b.x, b.last])).toEqual([[0, 0], [1, 1], [2, 2], [3, Number.NaN], [4, Infinity], [5, -Infinity], [6, 6], [7, 7], [7, 70.5], [8, 8]]);
      const late = await metrics.series({ runId, name: 'loss', by: 'time', from: T0 + 99_999, to: T0 + 100_000, points: 10 });
      expect(late.buckets.map((b) => [b.x, b.last])).toEqual([[T0 + 99_999.125, 70.5]]);
      const epochs = await metrics.series({ runId, name: 'loss', by: 'epoch', points: 10 });
      expect(epochs.buckets.map((b) => [b.x, b.last])).toEqual([[0, 0], [1, 1000], [2, 2000]]);
      const tail = await metrics.series({ runId, name: 'loss', by: 'step', from: 2000, to: 2499, points: 1000 });
      expect(tail.buckets).toHaveLength(500);
      expect(tail.buckets.at(-1)).toMatchObject({ x: 2499, last: 2499 });
      const stepless = await metrics.series({ runId: other, name: 'gpu', by: 'time', points: 10 });
      expect(stepless.buckets.map((b) => [b.x, b.last])).toEqual([[T0 + 1.5, 0.25]]);
      // New writes land beside the moved chunks.
      await metrics.write([{ runId, name: 'loss', value: 1, step: 2500, ts: T0 + 200_000 }]);
      expect((await metrics.series({ runId, name: 'loss', by: 'step', from: 2499, to: 2500, points: 10 })).buckets.map((b) => b.last)).toEqual([2499, 1]);

      // And back: down restores one row per point.
      await runMetricChunks.down(old.knex);
      const rows = await old.knex.raw('SELECT count(*)::int AS n FROM run_metric_points');
      expect(rows.rows[0].n).toBe(2503);
    } finally {
      await old.drop();
    }
  });
});

describe('time tiles', () => {
  const TILE_COLUMNS = 'width, bucket, min, max, sum, value_count, count, last, last_x, last_ts';
  // A sum folded in another order differs in its last bits; everything else must match exactly.
  const tilesOf = async (runId: string, widths: number[]) =>
    (await database.knex.raw(`SELECT ${TILE_COLUMNS} FROM run_metric_tiles WHERE run_id = ? AND axis = 't' AND width = ANY(?::bigint[]) ORDER BY width, bucket`, [runId, widths])).rows
      .map((row: { sum: number }) => ({ ...row, sum: Number(row.sum.toPrecision(12)) }));

  it('migration 003 back-fills the 10 s and 5 min tiles exactly as the write path makes them', async () => {
    const runId = randomUUID();
    // Two batches, 12 minutes of points every 700 ms, a NaN and a late point, so folding across batches counts.
    const points = Array.from({ length: 1030 }, (_, i) => ({ runId, name: 'loss', value: i === 77 ? Number.NaN : Math.sin(i), step: i, ts: T0 + i * 700 }));
    await store(tenantA).write(points.slice(0, 600));
    await store(tenantA).write([...points.slice(600), { runId, name: 'loss', value: 42, step: 5, ts: T0 + 5 * 700 + 1 }]);
    const written = await tilesOf(runId, [10_000, 300_000]);
    expect(written.length).toBeGreaterThan(70);

    await database.knex.raw(`DELETE FROM run_metric_tiles WHERE run_id = ? AND axis = 't' AND width IN (10000, 300000)`, [runId]);
    await finerTimeTiles.up(database.knex);
    expect(await tilesOf(runId, [10_000, 300_000])).toEqual(written);
  });

  it('a time series read over many tiles agrees with the raw points', async () => {
    const runId = randomUUID();
    const points = Array.from({ length: 20_000 }, (_, i) => ({ runId, name: 'loss', value: i === 12_345 ? 1e6 : Math.cos(i / 100), step: i, ts: T0 + i * 50 }));
    await store(tenantA).write(points);
    const series = await store(tenantA).series({ runId, name: 'loss', by: 'time', points: 100 });
    expect(series.exact).toBe(false);
    expect(series.buckets.length).toBeLessThanOrEqual(100);
    expect(series.buckets.reduce((n, b) => n + b.count, 0)).toBe(points.length);
    expect(Math.max(...series.buckets.map((b) => b.max))).toBe(1e6);
    const last = series.buckets.at(-1)!;
    expect(last.last).toBe(points.at(-1)!.value);
  });
});
