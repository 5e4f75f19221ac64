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
  // Nested maps keyed by the point's own strings: no composite key string built per point.
  const byRun = new Map<string, Map<string, BatchSummary>>();
  const all: BatchSummary[] = [];
  for (const point of points) {
    let byName = byRun.get(point.runId);
    if (!byName) byRun.set(point.runId, (byName = new Map()));
    const step = point.step ?? null;
    const value = point.value;
    const isValue = value === value; // not NaN
    const current = byName.get(point.name);
    if (!current) {
      const summary: BatchSummary = {
        runId: point.runId, name: point.name, last: value, lastStep: step, lastTs: point.ts,
        min: isValue ? value : null, max: isValue ? value : null, count: 1,
      };
      byName.set(point.name, summary);
      all.push(summary);
      continue;
    }
    current.count += 1;
    if (isValue) {
      if (current.min === null || value < current.min) current.min = value;
      if (current.max === null || value > current.max) current.max = value;
    }
    if (isLater(step, point.ts, current.lastStep, current.lastTs)) {
      current.last = value;
      current.lastStep = step;
      current.lastTs = point.ts;
    }
  }
  // Stable order: concurrent batches of one run lock its summary rows in the same order.
  return all.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
