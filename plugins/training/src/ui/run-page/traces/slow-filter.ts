// What "slow" means in the Traces tab: at or above the 90th percentile of the durations shown, so
// the filter always picks the slowest tenth whatever the run's scale (a 4 s step, a 40 ms one).

export type TraceFilter = 'all' | 'slow' | 'errors';

/** The nearest-rank 90th percentile; with fewer than two values nothing is slow. */
export function slowThreshold(durations: readonly number[]): number {
  const finite = durations.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 2) return Infinity;
  return finite[Math.ceil(0.9 * finite.length) - 1]!;
}

export function keeps(filter: TraceFilter, item: { durationMs: number; errors: number }, threshold: number): boolean {
  if (filter === 'errors') return item.errors > 0;
  if (filter === 'slow') return item.durationMs >= threshold;
  return true;
}
