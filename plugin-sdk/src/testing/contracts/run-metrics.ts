import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { MetricPoint, MetricSummary, RunMetricsPort, Series } from '../../ports/run-metrics.js';
import type { ContractFixture, MakeFixture } from './fixture.js';

/**
 * The run-metrics port's observable behaviour, for every provider (PostgreSQL, ClickHouse …). Each test
 * writes under run ids of its own (UUIDs, as the platform's runs are), so tests never see each other's
 * points and the suite can run against an engine that keeps data between runs.
 */
export function describeRunMetricsContract(providerName: string, make: MakeFixture<RunMetricsPort>): void {
  describe(`run-metrics port contract: ${providerName}`, () => {
    let fixture: ContractFixture<RunMetricsPort>;
    // Whole seconds, a day back: inside any engine's retention and clear of clock skew.
    const T0 = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;

    beforeAll(async () => {
      fixture = await make();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    const write = async (port: RunMetricsPort, points: MetricPoint[], idempotencyKey?: string) => {
      const result = await port.write(points, idempotencyKey === undefined ? {} : { idempotencyKey });
      await fixture.settle?.();
      return result;
    };
    const counted = (series: Series) => series.buckets.reduce((n, b) => n + b.count, 0);
    const byName = (summaries: MetricSummary[], name: string) => summaries.find((s) => s.name === name);
    /** A smooth decay with one spike, the shape that averaging would hide. */
    const spiky = (runId: string, length: number, spikeAt: number, spike: number, spacingMs: number): MetricPoint[] =>
      Array.from({ length }, (_, step) => ({ runId, name: 'loss', step, ts: T0 + step * spacingMs, value: step === spikeAt ? spike : 1 / (1 + step / 1000) }));

    it('keeps NaN and ±Infinity and reads them back exactly, by step and by time (fractional ms kept)', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, [
        { runId, name: 'loss', value: 1.5, step: 0, ts: T0 },
        { runId, name: 'loss', value: Number.NaN, step: 1, ts: T0 + 1 },
        { runId, name: 'loss', value: Infinity, step: 2, ts: T0 + 2 },
        { runId, name: 'loss', value: -Infinity, step: 3, ts: T0 + 3.25 },
        { runId, name: 'loss', value: 0.5, step: 4, ts: T0 + 4 },
        { runId, name: 'only nan', value: Number.NaN, step: 0, ts: T0 },
      ]);
      const series = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 100 });
      expect(series).toMatchObject({ runId, name: 'loss', by: 'step', exact: true });
      expect(series.buckets.map((b) => b.x)).toEqual([0, 1, 2, 3, 4]);
      expect(series.buckets.map((b) => b.last)).toEqual([1.5, Number.NaN, Infinity, -Infinity, 0.5]);
      expect(series.buckets.every((b) => b.count === 1)).toBe(true);
      const byTime = await fixture.tenantA.series({ runId, name: 'loss', by: 'time', points: 100 });
      expect(byTime.exact).toBe(true);
      expect(byTime.buckets.map((b) => b.x)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3.25, T0 + 4]);
      expect(byTime.buckets.map((b) => b.last)).toEqual([1.5, Number.NaN, Infinity, -Infinity, 0.5]);
    });

    it('keeps any metric name: quotes, commas, braces, backslashes, slashes, spaces and non-ASCII', async () => {
      const runId = randomUUID();
      const names = ['val/loss "smoothed", {top-1}', 'C:\\path\\acc', 'NULL', 'Verlust – Ω ✓'];
      await write(fixture.tenantA, names.flatMap((name, n) => Array.from({ length: 3000 }, (_, step) => ({ runId, name, value: n + step / 3000, step, ts: T0 + step }))));
      expect((await fixture.tenantA.summaries([runId])).map((s) => s.name).sort()).toEqual([...names].sort());
      for (const [n, name] of names.entries()) {
        for (const by of ['step', 'time'] as const) {
          const series = await fixture.tenantA.series({ runId, name, by, points: 10 });
          expect(series.name).toBe(name);
          expect(counted(series)).toBe(3000);
          expect(series.buckets.at(-1)!.last).toBe(n + 2999 / 3000);
        }
      }
    });

    it('summarises each metric: last by step, min/max ignoring NaN but counting ±Infinity, last step, count', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, [
        { runId, name: 'loss', value: 1.5, step: 0, ts: T0 },
        { runId, name: 'loss', value: Number.NaN, step: 1, ts: T0 + 1 },
        { runId, name: 'loss', value: Infinity, step: 2, ts: T0 + 2 },
        { runId, name: 'loss', value: -Infinity, step: 3, ts: T0 + 3 },
        { runId, name: 'loss', value: 0.5, step: 4, ts: T0 + 4 },
        { runId, name: 'only nan', value: Number.NaN, step: 0, ts: T0 },
      ]);
      const summaries = await fixture.tenantA.summaries([runId]);
      expect(summaries.map((s) => s.name).sort()).toEqual(['loss', 'only nan']);
      expect(byName(summaries, 'loss')).toEqual({ runId, name: 'loss', last: 0.5, min: -Infinity, max: Infinity, lastStep: 4, count: 5 });
      const onlyNan = byName(summaries, 'only nan')!;
      expect(onlyNan.min).toBeNaN();
      expect(onlyNan.max).toBeNaN();
      expect(onlyNan.last).toBeNaN();
      expect(onlyNan.count).toBe(1);
    });

    it('keeps summaries current across writes: last stays the highest step when an older step arrives late', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, [{ runId, name: 'acc', value: 0.2, step: 10, ts: T0 + 10 }]);
      await write(fixture.tenantA, [{ runId, name: 'acc', value: 0.9, step: 20, ts: T0 + 20 }]);
      await write(fixture.tenantA, [{ runId, name: 'acc', value: 0.1, step: 5, ts: T0 + 30 }]);
      expect(await fixture.tenantA.summaries([runId])).toEqual([{ runId, name: 'acc', last: 0.9, min: 0.1, max: 0.9, lastStep: 20, count: 3 }]);
      expect(await fixture.tenantA.summaries([])).toEqual([]);
    });

    it('returns the points exactly while the range holds at most N of them, buckets beyond', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, Array.from({ length: 100 }, (_, step) => ({ runId, name: 'loss', value: step / 100, step, ts: T0 + step * 10 })));
      const exact = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 100 });
      expect(exact.exact).toBe(true);
      expect(exact.buckets.map((b) => b.x)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(exact.buckets.map((b) => [b.min, b.max, b.mean, b.last, b.count])).toEqual(Array.from({ length: 100 }, (_, i) => [i / 100, i / 100, i / 100, i / 100, 1]));
      const bucketed = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 99 });
      expect(bucketed.exact).toBe(false);
      expect(bucketed.buckets.length).toBeLessThanOrEqual(99);
      expect(counted(bucketed)).toBe(100);
      // A sub-range with fewer than N points is exact again, both ends inclusive.
      const window = await fixture.tenantA.series({ runId, name: 'loss', by: 'time', from: T0 + 200, to: T0 + 300, points: 99 });
      expect(window.exact).toBe(true);
      expect(window.buckets.map((b) => b.x)).toEqual(Array.from({ length: 11 }, (_, i) => T0 + 200 + i * 10));
    });

    it('downsamples to at most N buckets without hiding a spike, by step and by time', async () => {
      const runId = randomUUID();
      const points = spiky(runId, 20_000, 12_345, 99, 100);
      for (let i = 0; i < points.length; i += 5000) await write(fixture.tenantA, points.slice(i, i + 5000));

      const series = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 100 });
      expect(series.exact).toBe(false);
      expect(series.buckets.length).toBeLessThanOrEqual(100);
      expect(series.buckets.length).toBeGreaterThan(10);
      expect(counted(series)).toBe(20_000);
      const width = series.buckets[1]!.x - series.buckets[0]!.x;
      const spikeBucket = series.buckets.find((b) => b.x <= 12_345 && 12_345 < b.x + width)!;
      expect(spikeBucket.max).toBe(99);
      expect(Math.max(...series.buckets.map((b) => b.max))).toBe(99);
      for (const b of series.buckets) {
        expect(b.min).toBeLessThanOrEqual(b.mean);
        expect(b.mean).toBeLessThanOrEqual(b.max);
      }
      expect(series.buckets.at(-1)!.last).toBe(points.at(-1)!.value);
      expect(series.buckets.map((b) => b.x)).toEqual([...series.buckets.map((b) => b.x)].sort((a, b) => a - b));

      // Ends that fall inside buckets: every point of [from, to] counted once, the spike still there.
      const window = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', from: 1_003, to: 17_777, points: 50 });
      expect(window.buckets.length).toBeLessThanOrEqual(50);
      expect(counted(window)).toBe(17_777 - 1_003 + 1);
      expect(Math.max(...window.buckets.map((b) => b.max))).toBe(99);

      const byTime = await fixture.tenantA.series({ runId, name: 'loss', by: 'time', points: 200 });
      expect(byTime.exact).toBe(false);
      expect(byTime.buckets.length).toBeLessThanOrEqual(200);
      expect(counted(byTime)).toBe(20_000);
      expect(Math.max(...byTime.buckets.map((b) => b.max))).toBe(99);
      expect(byTime.buckets.at(-1)!.last).toBe(points.at(-1)!.value);

      const timeWindow = await fixture.tenantA.series({ runId, name: 'loss', by: 'time', from: T0 + 100_050, to: T0 + 1_500_000, points: 70 });
      expect(timeWindow.buckets.length).toBeLessThanOrEqual(70);
      expect(counted(timeWindow)).toBe(15_000 - 1_001 + 1);
      expect(Math.max(...timeWindow.buckets.map((b) => b.max))).toBe(99);

      const exact = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', from: 12_340, to: 12_350, points: 100 });
      expect(exact.exact).toBe(true);
      expect(exact.buckets.map((b) => b.x)).toEqual(Array.from({ length: 11 }, (_, i) => 12_340 + i));
      expect(exact.buckets[5]!.last).toBe(99);
    });

    it('reads the same whether the points came in one write or in many small ones', async () => {
      const [whole, pieces] = [randomUUID(), randomUUID()];
      const of = (runId: string) => spiky(runId, 3000, 1234, 50, 37);
      await write(fixture.tenantA, of(whole));
      const parts = of(pieces);
      for (let i = 0; i < parts.length; i += 15) await write(fixture.tenantA, parts.slice(i, i + 15));
      for (const query of [{ by: 'step' as const, points: 100 }, { by: 'time' as const, points: 70 }, { by: 'step' as const, from: 1000, to: 1500, points: 1000 }]) {
        const [a, b] = await Promise.all([whole, pieces].map((runId) => fixture.tenantA.series({ runId, name: 'loss', ...query })));
        expect(b!.exact).toBe(a!.exact);
        expect(b!.buckets.map(({ x, min, max, last, count }) => [x, min, max, last, count])).toEqual(a!.buckets.map(({ x, min, max, last, count }) => [x, min, max, last, count]));
        b!.buckets.forEach((bucket, i) => expect(bucket.mean).toBeCloseTo(a!.buckets[i]!.mean, 9));
      }
    });

    it('reads by epoch; a series without steps has an empty step axis but reads by time', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, [1, 2, 3].map((epoch) => ({ runId, name: 'val_acc', value: epoch / 10, epoch, ts: T0 + epoch })));
      const series = await fixture.tenantA.series({ runId, name: 'val_acc', by: 'epoch', points: 10 });
      expect(series.exact).toBe(true);
      expect(series.buckets.map((b) => [b.x, b.last])).toEqual([[1, 0.1], [2, 0.2], [3, 0.3]]);
      expect((await fixture.tenantA.series({ runId, name: 'val_acc', by: 'step', points: 10 })).buckets).toEqual([]);
      expect((await fixture.tenantA.series({ runId, name: 'val_acc', by: 'time', points: 10 })).buckets.map((b) => b.last)).toEqual([0.1, 0.2, 0.3]);
      // Epochs bucket too: 3 epochs into 2 buckets.
      const two = await fixture.tenantA.series({ runId, name: 'val_acc', by: 'epoch', points: 2 });
      expect(two.exact).toBe(false);
      expect(counted(two)).toBe(3);
      expect(two.buckets.at(-1)!.last).toBe(0.3);
    });

    it('keeps a re-logged step as a second point, and a late point in its place on the axis', async () => {
      const runId = randomUUID();
      const first = Array.from({ length: 3000 }, (_, step) => ({ runId, name: 'loss', value: step, step, ts: T0 + step * 10 }));
      await write(fixture.tenantA, first);
      // Step 10 logged again (later in time), and step 1500.5's neighbour: a point whose step lies inside what was written already.
      await write(fixture.tenantA, [
        { runId, name: 'loss', value: -10, step: 10, ts: T0 + 50_000 },
        { runId, name: 'loss', value: 777, step: 1500, ts: T0 + 15_000.5 },
      ]);
      const exact = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', from: 8, to: 12, points: 100 });
      expect(exact.exact).toBe(true);
      // Both points of step 10, older first.
      expect(exact.buckets.map((b) => [b.x, b.last])).toEqual([[8, 8], [9, 9], [10, 10], [10, -10], [11, 11], [12, 12]]);
      const around = await fixture.tenantA.series({ runId, name: 'loss', by: 'time', from: T0 + 14_990, to: T0 + 15_010, points: 100 });
      expect(around.buckets.map((b) => [b.x, b.last])).toEqual([[T0 + 14_990, 1499], [T0 + 15_000, 1500], [T0 + 15_000.5, 777], [T0 + 15_010, 1501]]);

      const all = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 100 });
      expect(counted(all)).toBe(3002);
      expect(Math.min(...all.buckets.map((b) => b.min))).toBe(-10);
      expect(all.buckets.at(-1)!.last).toBe(2999);
      const summary = (await fixture.tenantA.summaries([runId]))[0]!;
      expect(summary).toMatchObject({ count: 3002, min: -10, max: 2999, last: 2999, lastStep: 2999 });
    });

    it('stores a write with an idempotency key exactly once, also when the same key is written concurrently', async () => {
      const runId = randomUUID();
      const key1 = randomUUID();
      const key2 = randomUUID();
      const points = Array.from({ length: 3000 }, (_, step) => ({ runId, name: 'loss', value: 1 / (step + 1), step, ts: T0 + step }));
      expect(await write(fixture.tenantA, points, key1)).toEqual({ stored: true });
      expect(await write(fixture.tenantA, points, key1)).toEqual({ stored: false });
      // Eight writers of one key at once: exactly one stores, the rest wait for it and find the key.
      const racing = await Promise.all(Array.from({ length: 8 }, () => fixture.tenantA.write(points, { idempotencyKey: key2 })));
      await fixture.settle?.();
      expect(racing.filter((r) => r.stored)).toHaveLength(1);
      expect(byName(await fixture.tenantA.summaries([runId]), 'loss')?.count).toBe(6000);
      const series = await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 1000 });
      expect(counted(series)).toBe(6000);
      // Without a key every write stores.
      expect(await write(fixture.tenantA, points.slice(0, 1))).toEqual({ stored: true });
      expect(await write(fixture.tenantA, points.slice(0, 1))).toEqual({ stored: true });
      expect(byName(await fixture.tenantA.summaries([runId]), 'loss')?.count).toBe(6002);
      // Keys are per tenant: another tenant's write with the same key is its own.
      const otherRun = randomUUID();
      expect(await write(fixture.tenantB, [{ ...points[0]!, runId: otherRun }], key1)).toEqual({ stored: true });
      expect(byName(await fixture.tenantB.summaries([otherRun]), 'loss')?.count).toBe(1);
      expect(await write(fixture.tenantA, [], randomUUID())).toEqual({ stored: true });
    });

    it('compares runs: one query per run on the same grid, and summaries of several runs at once', async () => {
      const runs = [randomUUID(), randomUUID()];
      await write(fixture.tenantA, runs.flatMap((runId, r) => Array.from({ length: 5000 }, (_, step) => ({ runId, name: 'loss', value: r + step / 5000, step: step * (r + 1), ts: T0 + step }))));
      const query = { name: 'loss', by: 'step' as const, from: 0, to: 9_998, points: 200 };
      const [a, b] = await Promise.all(runs.map((runId) => fixture.tenantA.series({ runId, ...query })));
      expect(a!.runId).toBe(runs[0]);
      expect(b!.runId).toBe(runs[1]);
      expect(counted(a!)).toBe(5000);
      expect(counted(b!)).toBe(5000);
      // The second run covers the whole range, the first only its lower half, on the same bucket edges.
      const width = b!.buckets[1]!.x - b!.buckets[0]!.x;
      for (const bucket of [...a!.buckets, ...b!.buckets]) expect(bucket.x % width).toBe(0);
      expect(a!.buckets.map((x) => x.x)).toEqual(b!.buckets.map((x) => x.x).filter((x) => x <= 4_999));
      const summaries = await fixture.tenantA.summaries([...runs, randomUUID()]);
      expect(summaries.map((s) => [s.runId, s.lastStep, s.count]).sort()).toEqual([[runs[0], 4_999, 5000], [runs[1], 9_998, 5000]].sort());
    });

    it('deletes one run: its series and summaries go, other runs stay, and the run can be written again', async () => {
      const [gone, kept] = [randomUUID(), randomUUID()];
      for (const runId of [gone, kept]) await write(fixture.tenantA, spiky(runId, 2000, 7, 5, 1000), randomUUID());
      await fixture.tenantA.deleteRun(gone);
      await fixture.settle?.();
      expect(await fixture.tenantA.summaries([gone])).toEqual([]);
      for (const by of ['step', 'time'] as const) expect((await fixture.tenantA.series({ runId: gone, name: 'loss', by, points: 100 })).buckets).toEqual([]);
      expect(counted(await fixture.tenantA.series({ runId: kept, name: 'loss', by: 'step', points: 100 }))).toBe(2000);
      await fixture.tenantA.deleteRun(randomUUID());
      await write(fixture.tenantA, [{ runId: gone, name: 'loss', value: 3, step: 1, ts: T0 }]);
      expect((await fixture.tenantA.series({ runId: gone, name: 'loss', by: 'step', points: 100 })).buckets.map((b) => [b.x, b.last, b.count])).toEqual([[1, 3, 1]]);
    });

    it('isolates tenants: another tenant never reads, summarises or deletes these points', async () => {
      const runId = randomUUID();
      await write(fixture.tenantA, spiky(runId, 2000, 7, 5, 1000));
      for (const by of ['step', 'time', 'epoch'] as const) expect((await fixture.tenantB.series({ runId, name: 'loss', by, points: 10 })).buckets).toEqual([]);
      expect(await fixture.tenantB.summaries([runId])).toEqual([]);
      await fixture.tenantB.deleteRun(runId);
      await fixture.settle?.();
      expect(byName(await fixture.tenantA.summaries([runId]), 'loss')?.count).toBe(2000);
      // The same run id written by tenant B is B's own series, and A's is unchanged.
      await write(fixture.tenantB, [{ runId, name: 'loss', value: 42, step: 0, ts: T0 }]);
      expect((await fixture.tenantB.series({ runId, name: 'loss', by: 'step', points: 10 })).buckets.map((b) => b.last)).toEqual([42]);
      expect(counted(await fixture.tenantA.series({ runId, name: 'loss', by: 'step', points: 10 }))).toBe(2000);
      await fixture.tenantA.deleteRun(runId);
      await fixture.settle?.();
      expect(await fixture.tenantA.summaries([runId])).toEqual([]);
      expect(byName(await fixture.tenantB.summaries([runId]), 'loss')?.count).toBe(1);
    });
  });
}
