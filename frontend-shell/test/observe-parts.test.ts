import { highlightSegments, levelRank, parseJsonMessage } from '../src/ui/observe/log-line.js';
import { formatDuration, timeTicks } from '../src/ui/observe/time-axis.js';
import { layoutTimeline } from '../src/ui/observe/timeline-layout.js';
import { layoutWaterfall } from '../src/ui/observe/waterfall-layout.js';

describe('log line highlight', () => {
  it('marks every occurrence of every word, case-insensitively', () => {
    expect(highlightSegments('Loss spike: loss=9.5', ['loss'])).toEqual([
      { text: 'Loss', match: true }, { text: ' spike: ', match: false }, { text: 'loss', match: true }, { text: '=9.5', match: false },
    ]);
  });
  it('merges overlapping and touching matches so marks never nest', () => {
    expect(highlightSegments('gradient', ['grad', 'adient'])).toEqual([{ text: 'gradient', match: true }]);
    expect(highlightSegments('abcd', ['ab', 'cd'])).toEqual([{ text: 'abcd', match: true }]);
  });
  it('keeps the text whole when nothing matches or nothing is asked', () => {
    expect(highlightSegments('epoch 1 done', ['loss'])).toEqual([{ text: 'epoch 1 done', match: false }]);
    expect(highlightSegments('epoch 1 done', ['', ''])).toEqual([{ text: 'epoch 1 done', match: false }]);
    expect(highlightSegments('', ['x'])).toEqual([]);
  });
  it('finds a match that overlaps itself (aaa in aaaa)', () => {
    expect(highlightSegments('aaaa', ['aaa'])).toEqual([{ text: 'aaaa', match: true }]);
  });
});

describe('JSON line detection', () => {
  it('reads a whole-line object or array', () => {
    expect(parseJsonMessage('{"event":"eval","accuracy":0.91}')).toEqual({ event: 'eval', accuracy: 0.91 });
    expect(parseJsonMessage('  [1, 2]  ')).toEqual([1, 2]);
  });
  it('leaves text, scalars and broken JSON alone', () => {
    expect(parseJsonMessage('epoch 1 done {"a":1}')).toBeNull();
    expect(parseJsonMessage('42')).toBeNull();
    expect(parseJsonMessage('"quoted"')).toBeNull();
    expect(parseJsonMessage('{not json}')).toBeNull();
    expect(parseJsonMessage('{"a":1')).toBeNull();
  });
});

describe('level rank', () => {
  it('orders levels and reads common spellings', () => {
    expect(levelRank('debug')).toBeLessThan(levelRank('info'));
    expect(levelRank('WARN')).toBe(levelRank('warning'));
    expect(levelRank('fatal')).toBe(levelRank('critical'));
    expect(levelRank(undefined)).toBe(levelRank('info'));
  });
});

describe('waterfall layout', () => {
  const span = (id: string, parentId: string | null, start: number, end: number, name = id) => ({ id, parentId, name, start, end, status: 'ok' as const });

  it('nests children under their parent in start order, placed on the trace time axis', () => {
    const layout = layoutWaterfall([
      span('eval', 'root', 1400, 3300), span('root', null, 0, 4000), span('load', 'root', 0, 120), span('fwd', 'root', 120, 520), span('inner', 'fwd', 200, 300),
    ]);
    expect(layout.rows.map((r) => [r.span.id, r.depth])).toEqual([['root', 0], ['load', 1], ['fwd', 1], ['inner', 2], ['eval', 1]]);
    const evalRow = layout.rows.find((r) => r.span.id === 'eval')!;
    expect(evalRow.left).toBeCloseTo(0.35);
    expect(evalRow.width).toBeCloseTo(0.475);
    expect(layout.rows[0]!.children).toEqual([1, 2, 4]);
    expect(layout.rows[3]!.parent).toBe(2);
  });
  it('keeps spans whose parent is missing as roots, and survives a cycle', () => {
    const orphan = layoutWaterfall([span('a', 'gone', 10, 20), span('b', null, 0, 5)]);
    expect(orphan.rows.map((r) => [r.span.id, r.depth])).toEqual([['b', 0], ['a', 0]]);
    const cycle = layoutWaterfall([span('x', 'y', 0, 10), span('y', 'x', 2, 8)]);
    expect(cycle.rows.map((r) => r.span.id).sort()).toEqual(['x', 'y']);
  });
  it('gives a zero-length trace full-width bars instead of dividing by zero', () => {
    const layout = layoutWaterfall([span('a', null, 5, 5)]);
    expect(layout.rows[0]).toMatchObject({ left: 0, width: 1 });
    expect(layoutWaterfall([]).rows).toEqual([]);
  });
});

describe('timeline layout', () => {
  it('gives each type a lane, checkpoints and evals first, events placed on the axis', () => {
    const layout = layoutTimeline([
      { id: '1', ts: 1000, type: 'loss_spike' }, { id: '2', ts: 0, type: 'checkpoint_saved' }, { id: '3', ts: 2000, type: 'checkpoint_saved' }, { id: '4', ts: 500, type: 'eval' },
    ]);
    expect(layout.lanes.map((l) => l.type)).toEqual(['checkpoint_saved', 'eval', 'loss_spike']);
    expect(layout.lanes[0]!.events.map((e) => e.x)).toEqual([0, 1]);
    expect(layout.lanes[2]!.events[0]!.x).toBeCloseTo(0.5);
  });
  it('widens a single moment so its mark is not on the edge, and clamps events outside the range', () => {
    expect(layoutTimeline([{ id: '1', ts: 100_000, type: 'restart' }]).lanes[0]!.events[0]!.x).toBeCloseTo(0.5);
    expect(layoutTimeline([{ id: '1', ts: 5, type: 'restart' }], 10, 20).lanes[0]!.events[0]!.x).toBe(0);
  });
});

describe('time axis', () => {
  it('ticks on round steps', () => {
    expect(timeTicks(0, 3900, 6)).toEqual([0, 1000, 2000, 3000]);
    expect(timeTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(timeTicks(5, 5)).toEqual([5]);
  });
  it('writes durations as people read them', () => {
    expect(formatDuration(0.5)).toBe('500 µs');
    expect(formatDuration(12.5)).toBe('12.5 ms');
    expect(formatDuration(3900)).toBe('3.9 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(7_800_000)).toBe('2h 10m');
  });
});
