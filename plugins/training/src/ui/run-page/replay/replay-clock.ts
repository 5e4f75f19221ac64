/**
 * The replay cursor: one moment of a run (epoch ms) that play, scrub and "next event" move. It knows
 * nothing of the DOM; the tab asks it where the cursor is after each animation frame.
 */
export const SPEEDS = [1, 10, 60, 600] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ReplayClockState {
  /** The run's first and last moment; the cursor never leaves them. */
  start: number;
  end: number;
  at: number;
  playing: boolean;
  speed: Speed;
}

export function clampTime(state: Pick<ReplayClockState, 'start' | 'end'>, at: number): number {
  return Math.min(state.end, Math.max(state.start, at));
}

export function initialClock(start: number, end: number, at: number | null, speed: number | null): ReplayClockState {
  const bounds = { start, end: Math.max(start, end) };
  return {
    ...bounds,
    at: at === null || !Number.isFinite(at) ? bounds.start : clampTime(bounds, at),
    playing: false,
    speed: SPEEDS.includes(speed as Speed) ? (speed as Speed) : 10,
  };
}

/** Advances a playing clock by `elapsedMs` of wall time; play stops by itself at the run's end. */
export function advance(state: ReplayClockState, elapsedMs: number): ReplayClockState {
  if (!state.playing || elapsedMs <= 0) return state;
  const at = clampTime(state, state.at + elapsedMs * state.speed);
  return { ...state, at, playing: at < state.end };
}

/** The first moment strictly after `at` (or before, going back) in a sorted list; null when none. */
export function neighbour(times: readonly number[], at: number, direction: 1 | -1): number | null {
  if (direction === 1) return times.find((t) => t > at) ?? null;
  for (let i = times.length - 1; i >= 0; i -= 1) if (times[i]! < at) return times[i]!;
  return null;
}

/** The index of the last item at or before `at` in a list sorted by time (−1 when all are later). */
export function lastAtOrBefore<T>(items: readonly T[], at: number, timeOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timeOf(items[mid]!) <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** "+1h 02m 05s": how far into the run a moment is. */
export function sinceStart(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `+${h}h ${two(m)}m ${two(s)}s` : m > 0 ? `+${m}m ${two(s)}s` : `+${s}s`;
}
