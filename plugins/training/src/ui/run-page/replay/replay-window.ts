/**
 * Which slice of the run the tab holds around the cursor. The server answers a window with
 * everything in it (POST /runs/:id/replay); the tab asks for a new one only when the cursor comes
 * near an edge, so play at any speed costs a request every few seconds at most.
 */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Half a window: at least 15 minutes (two demo epochs), and half a minute of play at the current speed. */
export function halfWidth(speed: number): number {
  return Math.max(15 * 60_000, speed * 30_000);
}

/** The window to hold for a cursor: centred on it, ahead of it while playing, clipped to the run. */
export function windowFor(at: number, speed: number, playing: boolean, run: TimeWindow): TimeWindow {
  const half = halfWidth(speed);
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
