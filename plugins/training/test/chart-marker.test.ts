import { describe, expect, it } from '@jest/globals';
import type { MetricSeries, SeriesAxis } from '../src/ui/api-types.js';
import { markerX } from '../src/ui/run-page/charts/series-frame.js';

// A moment picked on the Logs or Events tab (epoch ms) placed on each x axis of the Charts tab.

const series = (by: SeriesAxis, buckets: [x: number, count: number][]): MetricSeries => ({
  run_id: 'r', name: 'loss', by, exact: buckets.every(([, n]) => n === 1),
  buckets: buckets.map(([x, count]) => ({ x, min: 1, max: 1, mean: 1, last: 1, count })),
});

describe('charts: where a moment sits on the x axis', () => {
  it('is the moment itself on the time axis', () => {
    expect(markerX(1_700_000_123_456, series('time', [[1, 1]]))).toBe(1_700_000_123_456);
  });
  it('is the step of the point nearest in time on exact series', () => {
    const byTime = series('time', [[1000, 1], [2000, 1], [3000, 1], [4000, 1]]);
    const byStep = series('step', [[10, 1], [20, 1], [30, 1], [40, 1]]);
    expect(markerX(2100, byStep, byTime)).toBe(20);
    expect(markerX(2900, byStep, byTime)).toBe(30);
    expect(markerX(0, byStep, byTime)).toBe(10);
    expect(markerX(99_000, byStep, byTime)).toBe(40);
  });
  it('follows the points logged up to that moment through downsampled buckets', () => {
    // 100 points: 4 time buckets of 25; by step 10 buckets of 10 points starting at 0, 10, …
    const byTime = series('time', [[0, 25], [1000, 25], [2000, 25], [3000, 25]]);
    const byStep = series('step', Array.from({ length: 10 }, (_, i) => [i * 10, 10] as [number, number]));
    // nearest bucket is the second: 50 points logged → the fifth step bucket (points 41–50)
    expect(markerX(1100, byStep, byTime)).toBe(40);
    expect(markerX(3000, byStep, byTime)).toBe(90);
  });
  it('scales the rank when the epoch read counts fewer points (not every point carries an epoch)', () => {
    const byTime = series('time', [[0, 1], [1, 1], [2, 1], [3, 1]]);
    const byEpoch = series('epoch', [[0, 1], [1, 1]]);
    expect(markerX(1, byEpoch, byTime)).toBe(0);
    expect(markerX(3, byEpoch, byTime)).toBe(1);
  });
  it('has nowhere to go without a time read or points', () => {
    expect(markerX(5, series('step', [[1, 1]]))).toBeNull();
    expect(markerX(5, series('step', []), series('time', [[5, 1]]))).toBeNull();
  });
});
