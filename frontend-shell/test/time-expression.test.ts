import { describe, expect, it } from '@jest/globals';
import {
  absoluteRange,
  describeTimeRange,
  parseRefresh,
  parseTimeExpression,
  resolveTimeRange,
  timeRangeFromQuery,
} from '../src/core/time/time-expression.js';

const NOW = new Date('2024-05-10T12:34:56.789Z');

describe('time expressions', () => {
  it('reads relative expressions against now', () => {
    expect(parseTimeExpression('now', NOW)?.toISOString()).toBe('2024-05-10T12:34:56.789Z');
    expect(parseTimeExpression('now-1h', NOW)?.toISOString()).toBe('2024-05-10T11:34:56.789Z');
    expect(parseTimeExpression('now-15m', NOW)?.toISOString()).toBe('2024-05-10T12:19:56.789Z');
    expect(parseTimeExpression('now-7d', NOW)?.toISOString()).toBe('2024-05-03T12:34:56.789Z');
    expect(parseTimeExpression('now+1d', NOW)?.toISOString()).toBe('2024-05-11T12:34:56.789Z');
  });

  it('rounds to the unit, down for a start and up for an end', () => {
    expect(parseTimeExpression('now-1d/d', NOW)?.toISOString()).toBe('2024-05-09T00:00:00.000Z');
    expect(parseTimeExpression('now-1d/d', NOW, true)?.toISOString()).toBe('2024-05-09T23:59:59.999Z');
    expect(parseTimeExpression('now/h', NOW)?.toISOString()).toBe('2024-05-10T12:00:00.000Z');
  });

  it('reads absolute ISO times and epoch milliseconds', () => {
    expect(parseTimeExpression('2024-05-01T10:00:00Z', NOW)?.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(parseTimeExpression('1714557600000', NOW)?.toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });

  it('rejects what is not a time', () => {
    for (const bad of ['', 'yesterday', 'now-1y', 'now-h', '1', '2024-13-45T00:00:00Z']) {
      expect(parseTimeExpression(bad, NOW)).toBeNull();
    }
  });

  it('falls back to the last hour when the URL range is invalid or inverted', () => {
    const q = (s: string) => timeRangeFromQuery(new URLSearchParams(s), NOW);
    expect(q('')).toEqual({ from: 'now-1h', to: 'now', refresh: null });
    expect(q('from=now-6h&to=now&refresh=30s')).toEqual({ from: 'now-6h', to: 'now', refresh: '30s' });
    expect(q('from=garbage')).toEqual({ from: 'now-1h', to: 'now', refresh: null });
    expect(q('from=now&to=now-1h')).toEqual({ from: 'now-1h', to: 'now', refresh: null });
    expect(q('from=now-1h&refresh=1s').refresh).toBeNull();
  });

  it('keeps a custom absolute range and resolves it exactly', () => {
    const value = timeRangeFromQuery(new URLSearchParams('from=2024-05-01T10:00:00Z&to=2024-05-01T12:00:00Z'), NOW);
    expect(value.from).toBe('2024-05-01T10:00:00Z');
    const r = resolveTimeRange(value, NOW);
    expect(r.end.getTime() - r.start.getTime()).toBe(2 * 3_600_000);
    expect(describeTimeRange(value)).toBe('2024-05-01 10:00 → 2024-05-01 12:00');
  });

  it('writes a zoomed interval as absolute times to the second', () => {
    expect(absoluteRange(new Date('2024-05-01T10:00:00.400Z'), new Date('2024-05-01T10:30:00.600Z'))).toEqual({
      from: '2024-05-01T10:00:00Z',
      to: '2024-05-01T10:30:01Z',
    });
  });

  it('names presets and parses refresh intervals', () => {
    expect(describeTimeRange({ from: 'now-6h', to: 'now', refresh: null })).toBe('Last 6 hours');
    expect(parseRefresh('30s')).toBe(30_000);
    expect(parseRefresh('5m')).toBe(300_000);
    expect(parseRefresh('2s')).toBeNull();
    expect(parseRefresh('off')).toBeNull();
  });
});
