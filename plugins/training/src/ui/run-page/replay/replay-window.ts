/**
 * Which slice of the run the tab holds around the cursor. The server answers a window with
 * everything in it (POST /runs/:id/replay); the tab asks for a new one only when the cursor comes
 * near an edge, so play at any speed costs a request every few seconds at most.
 */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Logs and events the replay route answers at most per window (replay-routes.ts). */
export const WINDOW_RECORD_LIMIT = 1000;
/** A window is never narrower than this on each side of the cursor, however dense the logs. */
const MIN_HALF_WIDTH = 30_000;

/**
 * Half a window: at least 15 minutes (two demo epochs), and half a minute of play at the current
 * speed — times `density`, which the tab lowers when a window comes back with as many logs as the
 * route answers at most (a chatty run), so the cursor's own lines are never cut off.
 */
export function halfWidth(speed: number, density = 1): number {
  return Math.max(MIN_HALF_WIDTH, Math.max(15 * 60_000, speed * 30_000) * density);
}

/** Whether a window's answer was cut at the route's limit: a narrower window is needed. */
export const truncated = (answer: { logs: unknown[]; events: unknown[] }) => answer.logs.length >= WINDOW_RECORD_LIMIT || answer.events.length >= WINDOW_RECORD_LIMIT;

/** The window to hold for a cursor: centred on it, ahead of it while playing, clipped to the run. */
export function windowFor(at: number, speed: number, playing: boolean, run: TimeWindow, density = 1): TimeWindow {
  const half = halfWidth(speed, density);
  const from = playing ? at - half / 2 : at - half;
  const to = playing ? at + half * 1.5 : at + half;
  return { from: Math.max(run.from, from), to: Math.min(run.to, to) };
}

/**
 * Whether the held window still serves the cursor: it must contain it with a margin of a quarter
 * of its width on the side the cursor is heading (unless that side is the run's own edge).
 */
export function stillServes(held: TimeWindow | null, at: number, run: TimeWindow): boolean {
  if (!held) return false;
  const margin = (held.to - held.from) / 4;
  const lowOk = held.from <= run.from || at - held.from >= margin;
  const highOk = held.to >= run.to || held.to - at >= margin;
  return at >= held.from && at <= held.to && lowOk && highOk;
}
