import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { runMetricPoints } from '../src/server/migrations/001-run-metric-points.js';
import { runMetricTiles } from '../src/server/migrations/002-run-metric-tiles.js';
import { finerTimeTiles } from '../src/server/migrations/003-finer-time-tiles.js';
import { runMetricBatches } from '../src/server/migrations/004-run-metric-batches.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';

let database: TestDatabase;
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase();
  await runMetricPoints.up(database.knex);
  await runMetricTiles.up(database.knex);
  await finerTimeTiles.up(database.knex);
  await runMetricBatches.up(database.knex);
});
afterAll(async () => {
  await database.drop();
});

const store = (tenant: string, method: 'copy' | 'unnest' = 'copy') => new PostgresRunMetrics(database.knex, tenant, method);
const T0 = 1_764_060_000_000;

// The port's behaviour is held by the contract suite (run-metrics-contract.test.ts); these are this provider's own.
describe.each(['copy', 'unnest'] as const)('run-metrics on PostgreSQL (%s writes)', (method) => {
  it('a failed write leaves its key free, so the resend stores the batch', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    const key = `fail-${method}`;
    // PostgreSQL's text holds no NUL: the point write fails inside the transaction, after the key was inserted.
    await expect(metrics.write([{ runId, name: 'lo\u0000ss', value: 1, step: 0, ts: T0 }], { idempotencyKey: key })).rejects.toThrow();
    expect(await metrics.write([{ runId, name: 'loss', value: 1, step: 0, ts: T0 }], { idempotencyKey: key })).toEqual({ stored: true });
    expect((await metrics.summaries([runId]))[0]?.count).toBe(1);
  });

  it('gives a partition statistics once a series has grown past 2^14 points', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    const points = Array.from({ length: 20_000 }, (_, step) => ({ runId, name: `grown-${method}`, value: step, step, ts: T0 + step }));
    await metrics.write(points.slice(0, 10_000));
    await metrics.write(points.slice(10_000));
    // The step index, not a whole-series scan through the ts index, serves a step range.
    const plan = await database.knex.raw(
      `EXPLAIN SELECT value FROM run_metric_points WHERE tenant_id = ? AND run_id = ? AND name = ? AND step >= 100 AND step < 116`,
      [tenantA, runId, `grown-${method}`],
    );
    const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/name_step/);
    const stats = await database.knex.raw(
      `SELECT c.reltuples FROM pg_class c WHERE c.oid = (SELECT tableoid FROM run_metric_points WHERE run_id = ? LIMIT 1)`, [runId]);
    expect(Number(stats.rows[0].reltuples)).toBeGreaterThanOrEqual(20_000);
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
