import type { MetricPoint } from '@oneservice/plugin-sdk';

export interface BatchSummary {
  runId: string;
  name: string;
  last: number;
  lastStep: number | null;
  lastTs: number;
  /** null when every value of the batch was NaN. */
  min: number | null;
  max: number | null;
  count: number;
}

/** Points order "last" by step, then by time; a point without a step comes before any stepped point. */
export function isLater(step: number | null, ts: number, thanStep: number | null, thanTs: number): boolean {
  const a = step ?? -1;
  const b = thanStep ?? -1;
  return a !== b ? a > b : ts >= thanTs;
}

/** Folds a batch into one summary per (run, metric), merged into the stored one with a single UPSERT. */
export function summarizeBatch(points: readonly MetricPoint[]): BatchSummary[] {
  const byKey = new Map<string, BatchSummary>();
  for (const point of points) {
    const key = `${point.runId}\u0000${point.name}`;
    const step = point.step ?? null;
    const finiteOrInf = !Number.isNaN(point.value);
    const current = byKey.get(key);
    if (!current) {
      byKey.set(key, {
        runId: point.runId, name: point.name, last: point.value, lastStep: step, lastTs: point.ts,
        min: finiteOrInf ? point.value : null, max: finiteOrInf ? point.value : null, count: 1,
      });
      continue;
    }
    current.count += 1;
    if (finiteOrInf) {
      current.min = current.min === null ? point.value : Math.min(current.min, point.value);
      current.max = current.max === null ? point.value : Math.max(current.max, point.value);
    }
    if (isLater(step, point.ts, current.lastStep, current.lastTs)) {
      current.last = point.value;
      current.lastStep = step;
      current.lastTs = point.ts;
    }
  }
  // Stable order: concurrent batches of one run lock its summary rows in the same order.
  return [...byKey.values()].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
