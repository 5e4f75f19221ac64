/** A metric's summary as the runs API gives it (non-finite values arrive as strings: "NaN", "Infinity"). */
export interface SummaryLike {
  name: string;
  last: number | string | null;
  min: number | string | null;
  max: number | string | null;
}

export type Stat = 'last' | 'min' | 'max';
export const STATS: readonly Stat[] = ['last', 'min', 'max'];

export interface MetricCell {
  value: number | null;
  /** value − baseline's value; null for the baseline itself or when either side is not a finite number. */
  delta: number | null;
  /** delta relative to |baseline|, null when the baseline is 0 or missing. */
  relative: number | null;
}

export interface MetricDeltaRow {
  name: string;
  /** Per run (in the runs' order), per statistic. */
  cells: Record<Stat, MetricCell>[];
}

const finite = (v: number | string | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Per metric (the union over the runs, sorted by name), each run's last/min/max and its delta vs
 * the baseline run. A run that lacks the metric has empty cells rather than a misleading zero.
 */
export function metricDeltas(summaries: SummaryLike[][], baselineIndex: number): MetricDeltaRow[] {
  const names = [...new Set(summaries.flatMap((list) => list.map((s) => s.name)))].sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const of = summaries.map((list) => list.find((s) => s.name === name));
    const base = of[baselineIndex];
    const cells = of.map((summary, i) => {
      const row = {} as Record<Stat, MetricCell>;
      for (const stat of STATS) {
        const value = finite(summary?.[stat]);
        const baseValue = finite(base?.[stat]);
        const delta = i === baselineIndex || value === null || baseValue === null ? null : value - baseValue;
        const relative = delta === null || baseValue === null || baseValue === 0 ? null : delta / Math.abs(baseValue);
        row[stat] = { value, delta, relative };
      }
      return row;
    });
    return { name, cells };
  });
}

/** Names every run has: the charts overlay these first (a metric of one run alone has nothing to compare). */
export function commonMetricNames(summaries: SummaryLike[][]): string[] {
  if (summaries.length === 0) return [];
  const [first, ...rest] = summaries;
  return first!.map((s) => s.name).filter((name) => rest.every((list) => list.some((s) => s.name === name))).sort((a, b) => a.localeCompare(b));
}
