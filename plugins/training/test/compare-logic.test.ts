import { compareQuery, readCompareState, withRuns } from '../src/ui/compare/compare-state.js';
import { commonMetricNames, metricDeltas } from '../src/ui/compare/metric-deltas.js';
import { paramsDiff } from '../src/ui/compare/params-diff.js';

describe('compare URL state', () => {
  it('reads runs, baseline, axis, smoothing and the diff toggle, and writes back only what is not default', () => {
    const state = readCompareState(new URLSearchParams('runs=a,b,a,,c&baseline=b&by=epoch&smooth=0.6&diff=only'));
    expect(state).toEqual({ runs: ['a', 'b', 'c'], baseline: 'b', by: 'epoch', smooth: 0.6, onlyDiff: true });
    expect(compareQuery(state)).toEqual({ runs: 'a,b,c', baseline: 'b', by: 'epoch', smooth: '0.6', diff: 'only' });
    const plain = readCompareState(new URLSearchParams('runs=a,b'));
    expect(compareQuery(plain)).toEqual({ runs: 'a,b', baseline: null, by: null, smooth: null, diff: null });
  });

  it('falls back to the first run as baseline, step as axis and clamps smoothing', () => {
    expect(readCompareState(new URLSearchParams('runs=a,b&baseline=zz&by=wall&smooth=7'))).toMatchObject({ baseline: 'a', by: 'step', smooth: 0.99 });
    expect(readCompareState(new URLSearchParams(''))).toMatchObject({ runs: [], baseline: null });
  });

  it('keeps the baseline when a run is added and moves it when the baseline run is removed', () => {
    const state = readCompareState(new URLSearchParams('runs=a,b&baseline=b'));
    expect(withRuns(state, ['a', 'b', 'c']).baseline).toBe('b');
    expect(withRuns(state, ['a', 'c'])).toMatchObject({ runs: ['a', 'c'], baseline: 'a' });
  });
});

describe('params diff', () => {
  it('lists every key, flattens nested params and marks keys that differ or are missing', () => {
    const rows = paramsDiff([
      { lr: 3e-4, batch_size: 32, optimizer: { name: 'adamw', betas: [0.9, 0.999] }, seed: 1 },
      { lr: 1e-3, batch_size: 32, optimizer: { name: 'adamw', betas: [0.9, 0.999] } },
    ]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['batch_size', false], ['lr', true], ['optimizer.betas', false], ['optimizer.name', false], ['seed', true],
    ]);
    expect(rows.find((r) => r.key === 'seed')?.values).toEqual([1, undefined]);
  });

  it('tells 1 from "1"', () => {
    expect(paramsDiff([{ x: 1 }, { x: '1' }])[0]?.differs).toBe(true);
  });
});

describe('metric deltas', () => {
  const a = [{ name: 'loss', last: 0.2, min: 0.1, max: 2 }, { name: 'acc', last: 0.9, min: 0.5, max: 0.9 }];
  const b = [{ name: 'loss', last: 0.3, min: 'NaN', max: 9.5 }];

  it('measures each run against the baseline, leaves non-finite and missing values empty', () => {
    const rows = metricDeltas([a, b], 0);
    expect(rows.map((r) => r.name)).toEqual(['acc', 'loss']);
    const loss = rows[1]!;
    expect(loss.cells[0]!.last).toEqual({ value: 0.2, delta: null, relative: null });
    expect(loss.cells[1]!.last.delta).toBeCloseTo(0.1);
    expect(loss.cells[1]!.last.relative).toBeCloseTo(0.5);
    expect(loss.cells[1]!.min).toEqual({ value: null, delta: null, relative: null });
    expect(rows[0]!.cells[1]!.last).toEqual({ value: null, delta: null, relative: null });
  });

  it('changes sign when the baseline changes', () => {
    expect(metricDeltas([a, b], 1)[1]!.cells[0]!.max.delta).toBeCloseTo(-7.5);
  });

  it('names the metrics all runs share', () => {
    expect(commonMetricNames([a, b])).toEqual(['loss']);
  });
});
