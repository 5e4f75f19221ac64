import { describe, expect, it } from '@jest/globals';
import { appendPoints, bandData, bandMatters, ema, fieldConfig, formatPanelValue, lineData, nonFiniteMarks, reduceValues, thresholdColor } from '../src/ui/panel/panel-data.js';
import type { PanelFrame } from '@oneservice/plugin-sdk/ui';

describe('panel data: EMA smoothing', () => {
  it('is the identity at weight 0 and starts at the first value (debiased) above it', () => {
    expect(ema([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = ema([10, 0, 0], 0.5);
    // Debiased: the first smoothed value is the first value, not 5 (half-way to a zero start).
    expect(s[0]).toBeCloseTo(10);
    // After n points the weights of the values sum to 1 − wⁿ, which the debiasing divides by.
    expect(s[1]).toBeCloseTo((0.5 * 0.5 * 10) / (1 - 0.5 ** 2)); // 10/3
    expect(s[2]).toBeCloseTo((0.25 * 0.5 * 10) / (1 - 0.5 ** 3)); // 10/7
  });
  it('moves towards a step change more slowly the higher the weight', () => {
    const values = [0, 0, 0, 1, 1, 1, 1];
    const low = ema(values, 0.3);
    const high = ema(values, 0.9);
    expect(low[4]!).toBeGreaterThan(high[4]!);
    expect(low[6]!).toBeLessThanOrEqual(1);
  });
  it('leaves gaps and non-finite values out of the average and as gaps in the output', () => {
    const s = ema([2, Number.NaN, null, Infinity, 2], 0.8);
    expect(s[1]).toBeNull();
    expect(s[2]).toBeNull();
    expect(s[3]).toBeNull();
    expect(s[4]).toBeCloseTo(2);
  });
});

describe('panel data: band and marks', () => {
  const x = [0, 1, 2, 3];
  it('builds the band as a lower edge and a height, with gaps where an edge is missing', () => {
    const band = bandData(x, { min: [1, 2, null, 0], max: [3, 2, 5, 4] }, false);
    expect(band.lower).toEqual([[0, 1], [1, 2], [2, null], [3, 0]]);
    expect(band.height).toEqual([[0, 2], [1, 0], [2, null], [3, 4]]);
  });
  it('drops values ≤ 0 from a log-scale band and line instead of drawing them at the axis', () => {
    expect(bandData(x, { min: [0, 1, 1, 1], max: [1, 10, 1, 1] }, true).lower[0]).toEqual([0, null]);
    expect(lineData(x, [-1, 0, 1, 2], true).map((p) => p[1])).toEqual([null, null, 1, 2]);
  });
  it('says whether a band adds anything to the line', () => {
    expect(bandMatters({ min: [1, 2], max: [1, 2] })).toBe(false);
    expect(bandMatters({ min: [1, 2], max: [1, 9] })).toBe(true);
    expect(bandMatters(undefined)).toBe(false);
  });
  it('marks NaN at the curve and ±Infinity at the top and bottom, never as zero', () => {
    const marks = nonFiniteMarks([0, 1, 2, 3, 4], [5, Number.NaN, 9, Infinity, -Infinity], false);
    expect(marks).toEqual([
      { x: 1, y: 5, kind: 'NaN' },
      { x: 3, y: 9, kind: '+Inf' },
      { x: 4, y: 5, kind: '-Inf' },
    ]);
    expect(lineData([0, 1], [Number.NaN, 1], false)).toEqual([[0, null], [1, 1]]);
  });
});

describe('panel data: config, append, reduce', () => {
  const frame: PanelFrame = { name: 'run-a', x: { kind: 'step', values: [0, 1] }, fields: [{ name: 'loss', unit: 'nats', values: [2, 1], band: { min: [2, 0.5], max: [2, 1.5] } }] };
  it('applies overrides by field name and by frame/field after the defaults', () => {
    const field = frame.fields[0]!;
    expect(fieldConfig({ decimals: 2 }, [{ match: 'loss', config: { color: '--chart-3' } }], frame, field)).toEqual({ unit: 'nats', decimals: 2, color: '--chart-3' });
    expect(fieldConfig(undefined, [{ match: 'run-a/loss', config: { hidden: true } }, { match: 'run-b/loss', config: { color: 'red' } }], frame, field)).toEqual({ unit: 'nats', hidden: true });
  });
  it('appends live points without touching the frames it was given, replacing a point at the same x', () => {
    const next = appendPoints([frame], [{ x: 2, values: { loss: 0.8 } }, { x: 2, values: { loss: 0.7 } }, { x: 1, values: { loss: 99 } }]);
    expect(next[0]!.x.values).toEqual([0, 1, 2]);
    expect(next[0]!.fields[0]!.values).toEqual([2, 1, 0.7]);
    expect(next[0]!.fields[0]!.band).toEqual({ min: [2, 0.5, 0.7], max: [2, 1.5, 0.7] });
    expect(frame.x.values).toEqual([0, 1]);
    expect(appendPoints([frame], [{ frame: 'other', x: 5, values: { loss: 1 } }])[0]!.x.values).toEqual([0, 1]);
  });
  it('reduces and formats values for a stat panel', () => {
    expect(reduceValues([1, 3, Number.NaN], 'last')).toBeNaN();
    expect(reduceValues([1, 3, Number.NaN], 'max')).toBe(3);
    expect(reduceValues([1, 3, null], 'mean')).toBe(2);
    expect(reduceValues([null], 'last')).toBeNull();
    expect(formatPanelValue(0.12345, { decimals: 2, unit: '%' }, String)).toBe('0.12 %');
    expect(formatPanelValue(-Infinity, {}, String)).toBe('-Inf');
    expect(thresholdColor(85, [{ value: 90, color: 'red' }, { value: 0, color: 'green' }, { value: 80, color: 'orange' }])).toBe('orange');
  });
});
