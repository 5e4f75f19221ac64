/** The x-axis a comparison is drawn on; `time` is relative to each run's start so runs line up. */
export type CompareAxis = 'step' | 'epoch' | 'time';

/** Everything a comparison shows, as it lives in the URL (reload and a shared link restore it). */
export interface CompareState {
  runs: string[];
  /** The run every delta is measured against; the first run unless the user picked another. */
  baseline: string | null;
  by: CompareAxis;
  /** EMA smoothing weight, 0 (raw) to 0.99. */
  smooth: number;
  /** Params table shows only the keys whose values differ. */
  onlyDiff: boolean;
}

export const MAX_COMPARED_RUNS = 20;
const AXES: readonly CompareAxis[] = ['step', 'epoch', 'time'];

export function readCompareState(query: URLSearchParams): CompareState {
  const runs = [...new Set((query.get('runs') ?? '').split(',').map((s) => s.trim()).filter(Boolean))].slice(0, MAX_COMPARED_RUNS);
  const wantedBaseline = query.get('baseline');
  const by = query.get('by');
  const smooth = Number(query.get('smooth') ?? '0');
  return {
    runs,
    baseline: wantedBaseline && runs.includes(wantedBaseline) ? wantedBaseline : runs[0] ?? null,
    by: AXES.includes(by as CompareAxis) ? (by as CompareAxis) : 'step',
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    onlyDiff: query.get('diff') === 'only',
  };
}

/**
 * The query parameters of a state, defaults left out so links stay short; `null` removes a
 * parameter when merged with the router's setQuery.
 */
export function compareQuery(state: CompareState): Record<string, string | null> {
  return {
    runs: state.runs.length ? state.runs.join(',') : null,
    baseline: state.baseline && state.baseline !== state.runs[0] ? state.baseline : null,
    by: state.by === 'step' ? null : state.by,
    smooth: state.smooth > 0 ? String(state.smooth) : null,
    diff: state.onlyDiff ? 'only' : null,
  };
}

export function withRuns(state: CompareState, runs: string[]): CompareState {
  const unique = [...new Set(runs)].slice(0, MAX_COMPARED_RUNS);
  return { ...state, runs: unique, baseline: state.baseline && unique.includes(state.baseline) ? state.baseline : unique[0] ?? null };
}
