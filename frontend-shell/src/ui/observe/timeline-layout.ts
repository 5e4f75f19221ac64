import type { TimelineEvent } from '@oneservice/plugin-sdk/ui';

export interface TimelineLane {
  type: string;
  /** x as a fraction (0…1) of the axis. */
  events: { event: TimelineEvent; x: number }[];
}

export interface TimelineLayout {
  from: number;
  to: number;
  lanes: TimelineLane[];
}

// The kinds a training run's reader looks for first, in the order they read them.
const FIRST = ['checkpoint', 'eval', 'restart', 'fail'];
const rank = (type: string) => {
  const t = type.toLowerCase();
  const i = FIRST.findIndex((k) => t.includes(k));
  return i < 0 ? FIRST.length : i;
};

/** One lane per event type (checkpoints, evals, restarts, failures first), events placed on a shared axis. */
export function layoutTimeline(events: readonly TimelineEvent[], from?: number, to?: number): TimelineLayout {
  const times = events.map((e) => e.ts);
  let lo = from ?? (times.length ? Math.min(...times) : 0);
  let hi = to ?? (times.length ? Math.max(...times) : 0);
  if (hi <= lo) {
    // One moment (or none): give the axis some room either side so the mark is not on the edge.
    lo -= 30_000;
    hi += 30_000;
  }
  const lanes = new Map<string, TimelineLane>();
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    const lane = lanes.get(event.type) ?? { type: event.type, events: [] };
    lane.events.push({ event, x: Math.min(1, Math.max(0, (event.ts - lo) / (hi - lo))) });
    lanes.set(event.type, lane);
  }
  const ordered = [...lanes.values()].sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
  return { from: lo, to: hi, lanes: ordered };
}
