import { advance, initialClock, lastAtOrBefore, neighbour, sinceStart } from '../src/ui/run-page/replay/replay-clock.js';
import { curveNames, valueAt } from '../src/ui/run-page/replay/replay-data.js';
import { stillServes, truncated, windowFor } from '../src/ui/run-page/replay/replay-window.js';

const START = 1_764_000_000_000;
const END = START + 3_600_000;

describe('replay clock', () => {
  it('starts at the URL moment (clamped into the run) and at 10× unless the URL names a speed', () => {
    expect(initialClock(START, END, START + 5000, null)).toMatchObject({ at: START + 5000, speed: 10, playing: false });
    expect(initialClock(START, END, END + 1, 60)).toMatchObject({ at: END, speed: 60 });
    expect(initialClock(START, END, null, 7).at).toBe(START);
  });

  it('advances by wall time × speed and stops by itself at the end', () => {
    const playing = { ...initialClock(START, END, START, 60), playing: true };
    expect(advance(playing, 1000).at).toBe(START + 60_000);
    const atEnd = advance({ ...playing, at: END - 1000 }, 1000);
    expect(atEnd).toMatchObject({ at: END, playing: false });
    expect(advance({ ...playing, playing: false }, 1000).at).toBe(START);
  });

  it('finds the next and previous event and the last item at or before a moment', () => {
    const times = [10, 20, 30];
    expect(neighbour(times, 20, 1)).toBe(30);
    expect(neighbour(times, 20, -1)).toBe(10);
    expect(neighbour(times, 30, 1)).toBeNull();
    expect(lastAtOrBefore(times, 25, (t) => t)).toBe(1);
    expect(lastAtOrBefore(times, 5, (t) => t)).toBe(-1);
    expect(lastAtOrBefore(times, 30, (t) => t)).toBe(2);
  });

  it('writes how far into the run a moment is', () => {
    expect(sinceStart(3_725_000)).toBe('+1h 02m 05s');
    expect(sinceStart(65_000)).toBe('+1m 05s');
    expect(sinceStart(4_000)).toBe('+4s');
  });
});

describe('replay window', () => {
  const run = { from: START, to: END };
  it('holds a window around a paused cursor and ahead of a playing one, inside the run', () => {
    const paused = windowFor(START + 1_800_000, 10, false, run);
    expect(paused).toEqual({ from: START + 900_000, to: START + 2_700_000 });
    const playing = windowFor(START + 1_800_000, 10, true, run);
    expect(playing.to - (START + 1_800_000)).toBeGreaterThan(START + 1_800_000 - playing.from);
    expect(windowFor(START, 600, true, run).from).toBe(START);
  });

  it('asks for a new window only when the cursor nears an edge that is not the run’s', () => {
    const held = { from: START, to: START + 1_000_000 };
    expect(stillServes(held, START + 500_000, run)).toBe(true);
    expect(stillServes(held, START + 900_000, run)).toBe(false);
    expect(stillServes(held, START + 10, run)).toBe(true);
    expect(stillServes(null, START, run)).toBe(false);
  });
});

describe('replay data', () => {
  it('reads a metric at a moment from its buckets, non-finite values as numbers', () => {
    const series = { name: 'loss', exact: false, buckets: [
      { x: 0, min: 1, max: 2, mean: 1.5, last: 1.2, count: 3 },
      { x: 10, min: 'NaN', max: 'Infinity', mean: 'NaN', last: 'Infinity', count: 2 },
    ] };
    expect(valueAt(series, -1)).toBeNull();
    expect(valueAt(series, 5)).toBe(1.2);
    expect(valueAt(series, 10)).toBe(Infinity);
  });

  it('shows the usual training curves first', () => {
    expect(curveNames(['gpu_utilization', 'accuracy', 'f1', 'loss', 'lr', 'auc'])).toEqual(['loss', 'accuracy', 'lr', 'auc']);
  });
});

describe('replay window density', () => {
  it('narrows the window for a run whose logs fill a window, never below half a minute a side', () => {
    const run = { from: START, to: END };
    const at = START + 1_800_000;
    const wide = windowFor(at, 10, false, run);
    const narrow = windowFor(at, 10, false, run, 1 / 4);
    expect(narrow.to - narrow.from).toBe((wide.to - wide.from) / 4);
    const tiny = windowFor(at, 10, false, run, 1 / 1000);
    expect(tiny).toEqual({ from: at - 30_000, to: at + 30_000 });
    expect(truncated({ logs: new Array(1000), events: [] })).toBe(true);
    expect(truncated({ logs: new Array(999), events: [] })).toBe(false);
  });
});
