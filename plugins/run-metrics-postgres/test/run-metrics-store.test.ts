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

describe.each(['copy', 'unnest'] as const)('run-metrics on PostgreSQL (%s writes)', (method) => {
  it('keeps NaN and ±Infinity and reads them back, summaries ignore NaN in min/max', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    await metrics.write([
      { runId, name: 'loss', value: 1.5, step: 0, ts: T0 },
      { runId, name: 'loss', value: Number.NaN, step: 1, ts: T0 + 1 },
      { runId, name: 'loss', value: Infinity, step: 2, ts: T0 + 2 },
      { runId, name: 'loss', value: -Infinity, step: 3, ts: T0 + 3.25 },
      { runId, name: 'loss', value: 0.5, step: 4, ts: T0 + 4 },
      { runId, name: 'only nan', value: Number.NaN, step: 0, ts: T0 },
    ]);
    const series = await metrics.series({ runId, name: 'loss', by: 'step', points: 100 });
    expect(series.exact).toBe(true);
    expect(series.buckets.map((b) => b.last)).toEqual([1.5, Number.NaN, Infinity, -Infinity, 0.5]);
    const byTime = await metrics.series({ runId, name: 'loss', by: 'time', points: 100 });
    expect(byTime.buckets.map((b) => b.x)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3.25, T0 + 4]);

    const summaries = await metrics.summaries([runId]);
    const loss = summaries.find((s) => s.name === 'loss');
    expect(loss).toEqual({ runId, name: 'loss', last: 0.5, min: -Infinity, max: Infinity, lastStep: 4, count: 5 });
    const onlyNan = summaries.find((s) => s.name === 'only nan');
    expect(onlyNan?.min).toBeNaN();
    expect(onlyNan?.max).toBeNaN();
    expect(onlyNan?.last).toBeNaN();
  });

  it('keeps summaries current across batches, last by step even when a batch arrives late', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    await metrics.write([{ runId, name: 'acc', value: 0.2, step: 10, ts: T0 + 10 }]);
    await metrics.write([{ runId, name: 'acc', value: 0.9, step: 20, ts: T0 + 20 }]);
    await metrics.write([{ runId, name: 'acc', value: 0.1, step: 5, ts: T0 + 30 }]);
    const [acc] = await metrics.summaries([runId]);
    expect(acc).toEqual({ runId, name: 'acc', last: 0.9, min: 0.1, max: 0.9, lastStep: 20, count: 3 });
  });

  it('downsamples without hiding a spike, and returns at most N buckets', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    const points = Array.from({ length: 20_000 }, (_, step) => ({
      runId, name: 'loss', step, ts: T0 + step * 100, value: step === 12_345 ? 99 : 1 / (1 + step / 1000),
    }));
    for (let i = 0; i < points.length; i += 5000) await metrics.write(points.slice(i, i + 5000));
    const series = await metrics.series({ runId, name: 'loss', by: 'step', points: 100 });
    expect(series.exact).toBe(false);
    expect(series.buckets.length).toBeLessThanOrEqual(100);
    expect(series.buckets.reduce((n, b) => n + b.count, 0)).toBe(20_000);
    const spiky = series.buckets.find((b) => b.x <= 12_345 && 12_345 < b.x + (series.buckets[1]!.x - series.buckets[0]!.x));
    expect(spiky?.max).toBe(99);
    expect(Math.max(...series.buckets.map((b) => b.max))).toBe(99);
    expect(series.buckets.at(-1)?.last).toBeCloseTo(1 / (1 + 19_999 / 1000));

    // A sub-range whose ends are not tile-aligned: raw ends + tiles must still count every point once.
    const window = await metrics.series({ runId, name: 'loss', by: 'step', from: 1_003, to: 17_777, points: 50 });
    expect(window.buckets.reduce((n, b) => n + b.count, 0)).toBe(17_777 - 1_003 + 1);
    expect(Math.max(...window.buckets.map((b) => b.max))).toBe(99);
    expect(window.buckets.length).toBeLessThanOrEqual(50);

    const byTime = await metrics.series({ runId, name: 'loss', by: 'time', points: 200 });
    expect(byTime.buckets.length).toBeLessThanOrEqual(200);
    expect(Math.max(...byTime.buckets.map((b) => b.max))).toBe(99);
    expect(byTime.buckets.reduce((n, b) => n + b.count, 0)).toBe(20_000);

    const exact = await metrics.series({ runId, name: 'loss', by: 'step', from: 12_340, to: 12_350, points: 100 });
    expect(exact.exact).toBe(true);
    expect(exact.buckets.map((b) => b.x)).toEqual(Array.from({ length: 11 }, (_, i) => 12_340 + i));
    expect(exact.buckets[5]?.last).toBe(99);
  });

  it('stores a batch with an idempotency key once, also when the same key is written concurrently', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    const points = Array.from({ length: 3000 }, (_, step) => ({ runId, name: 'loss', value: 1 / (step + 1), step, ts: T0 + step }));
    expect(await metrics.write(points, { idempotencyKey: `${method}-batch-1` })).toEqual({ stored: true });
    expect(await metrics.write(points, { idempotencyKey: `${method}-batch-1` })).toEqual({ stored: false });
    // Eight writers of one key at once: exactly one stores, the rest wait for it and find the key.
    const racing = await Promise.all(Array.from({ length: 8 }, () => store(tenantA, method).write(points, { idempotencyKey: `${method}-batch-2` })));
    expect(racing.filter((r) => r.stored)).toHaveLength(1);
    const [loss] = await metrics.summaries([runId]);
    expect(loss?.count).toBe(6000);
    const stored = await database.knex.raw('SELECT count(*)::int AS n, count(DISTINCT step)::int AS steps FROM run_metric_points WHERE run_id = ?', [runId]);
    expect(stored.rows[0]).toEqual({ n: 6000, steps: 3000 });
    // Keys are per tenant: another tenant's batch with the same id is its own.
    expect(await store(tenantB, method).write([{ ...points[0]!, runId: randomUUID() }], { idempotencyKey: `${method}-batch-1` })).toEqual({ stored: true });
  });

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

  it('reads by epoch', async () => {
    const runId = randomUUID();
    const metrics = store(tenantA, method);
    await metrics.write([1, 2, 3].map((epoch) => ({ runId, name: 'val_acc', value: epoch / 10, epoch, ts: T0 + epoch })));
    const series = await metrics.series({ runId, name: 'val_acc', by: 'epoch', points: 10 });
    expect(series.buckets.map((b) => [b.x, b.last])).toEqual([[1, 0.1], [2, 0.2], [3, 0.3]]);
    expect((await metrics.series({ runId, name: 'val_acc', by: 'step', points: 10 })).buckets).toEqual([]);
  });
});

describe('tenant isolation', () => {
  it('never shows one tenant another tenant’s points or summaries, and deletes only its own', async () => {
    const runId = randomUUID();
    await store(tenantA).write([{ runId, name: 'loss', value: 1, step: 1, ts: T0 }]);
    expect((await store(tenantB).series({ runId, name: 'loss', by: 'step', points: 10 })).buckets).toEqual([]);
    expect(await store(tenantB).summaries([runId])).toEqual([]);
    await store(tenantB).deleteRun(runId);
    expect(await store(tenantA).summaries([runId])).toHaveLength(1);
    await store(tenantA).deleteRun(runId);
    expect(await store(tenantA).summaries([runId])).toEqual([]);
    expect((await store(tenantA).series({ runId, name: 'loss', by: 'step', points: 10 })).buckets).toEqual([]);
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
