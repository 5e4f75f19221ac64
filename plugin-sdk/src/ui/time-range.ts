/// <reference lib="dom" />
/**
 * The global time range, kept in the URL as `from`, `to` and `refresh` so every view is a link.
 * `from`/`to` are Grafana-style expressions: `now`, `now-15m`, `now-1h`, `now-7d`, or an absolute
 * ISO-8601 time; `refresh` is an interval like `30s`, `1m` or null when auto refresh is off.
 */
export interface TimeRangeValue {
  from: string;
  to: string;
  refresh: string | null;
}

/** A time range resolved to instants at one moment. */
export interface ResolvedTimeRange {
  start: Date;
  end: Date;
}

export interface TimeRangeChange {
  value: TimeRangeValue;
  resolved: ResolvedTimeRange;
  /** `refresh` when only the auto-refresh tick fired: the range text is unchanged, the data is stale. */
  reason: 'change' | 'refresh';
}

export interface TimeRange {
  get(): TimeRangeValue;
  /** Resolves the expressions now (relative ranges move with time). */
  resolve(): ResolvedTimeRange;
  set(value: Partial<TimeRangeValue>): void;
  /** Called on every change and on each auto-refresh tick; returns the unsubscribe. */
  subscribe(listener: (change: TimeRangeChange) => void): () => void;
}
