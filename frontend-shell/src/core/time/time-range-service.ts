import type { ResolvedTimeRange, Router, TimeRange, TimeRangeChange, TimeRangeValue } from '@oneservice/plugin-sdk/ui';
import { parseRefresh, resolveTimeRange, timeRangeFromQuery } from './time-expression.js';

/**
 * The global time range. The URL is its only store: `set` writes the query string and every
 * subscriber hears about it from the router, so back/forward restores ranges like any other state.
 */
export class TimeRangeService implements TimeRange {
  private value: TimeRangeValue;
  private readonly listeners = new Set<(c: TimeRangeChange) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly router: Router) {
    this.value = timeRangeFromQuery(router.location.query);
    router.subscribe((loc) => {
      const next = timeRangeFromQuery(loc.query);
      if (next.from === this.value.from && next.to === this.value.to && next.refresh === this.value.refresh) return;
      this.value = next;
      this.schedule();
      this.emit('change');
    });
    // A hidden tab does not need fresh data; refresh at once when it becomes visible again.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.timer) this.emit('refresh');
    });
    this.schedule();
  }

  get(): TimeRangeValue {
    return this.value;
  }

  resolve(): ResolvedTimeRange {
    return resolveTimeRange(this.value);
  }

  set(value: Partial<TimeRangeValue>): void {
    const next = { ...this.value, ...value };
    this.router.setQuery({ from: next.from, to: next.to, refresh: next.refresh });
  }

  subscribe(listener: (c: TimeRangeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const ms = parseRefresh(this.value.refresh);
    if (ms === null) return;
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') this.emit('refresh');
    }, ms);
  }

  private emit(reason: TimeRangeChange['reason']): void {
    const change: TimeRangeChange = { value: this.value, resolved: this.resolve(), reason };
    for (const l of [...this.listeners]) l(change);
  }
}
