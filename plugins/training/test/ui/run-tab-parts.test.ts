import { queryTerms } from '../../src/ui/run-page/logs/query-terms.js';
import { serverQuery } from '../../src/ui/run-page/logs-tab.js';
import { formatBytes } from '../../src/ui/run-page/artifacts-tab.js';
import { keeps, slowThreshold } from '../../src/ui/run-page/traces/slow-filter.js';

describe('highlight terms of a log query', () => {
  it('takes free words, phrases and message: terms', () => {
    expect(queryTerms('loss "gradient norm" message:clipping')).toEqual(['loss', 'gradient norm', 'clipping']);
  });
  it('skips operators, field filters, ranges and excluded words', () => {
    expect(queryTerms('spike AND level:warn OR fields.epoch:[3 TO 5] NOT debug -noisy !quiet')).toEqual(['spike']);
    expect(queryTerms('(epoch OR step) AND ts:>=2024-01-01')).toEqual(['epoch', 'step']);
  });
  it('marks the prefix of a wildcard word and reads escapes', () => {
    expect(queryTerms('grad* l?ss foo\\:bar')).toEqual(['grad', 'l', 'foo:bar']);
  });
  it('is empty for an empty or operator-only query', () => {
    expect(queryTerms('')).toEqual([]);
    expect(queryTerms('AND OR')).toEqual([]);
  });
});

describe('server query of the Logs tab', () => {
  it('adds the level as a range and says where the user part starts', () => {
    expect(serverQuery('loss', 'warn')).toEqual({ text: '(loss) AND level:>=warn', offset: 1 });
    expect(serverQuery('  ', 'error')).toEqual({ text: 'level:>=error', offset: 0 });
    expect(serverQuery(' loss ', null)).toEqual({ text: 'loss', offset: 0 });
  });
});

describe('slow and error filters', () => {
  it('slow is the slowest tenth (nearest-rank p90)', () => {
    const durations = Array.from({ length: 10 }, (_, i) => (i + 1) * 100);
    expect(slowThreshold(durations)).toBe(900);
    expect(keeps('slow', { durationMs: 1000, errors: 0 }, 900)).toBe(true);
    expect(keeps('slow', { durationMs: 800, errors: 0 }, 900)).toBe(false);
    expect(slowThreshold([5])).toBe(Infinity);
  });
  it('errors keeps what has one; all keeps everything', () => {
    expect(keeps('errors', { durationMs: 1, errors: 1 }, 0)).toBe(true);
    expect(keeps('errors', { durationMs: 1, errors: 0 }, 0)).toBe(false);
    expect(keeps('all', { durationMs: 1, errors: 0 }, Infinity)).toBe(true);
  });
});

describe('artifact sizes', () => {
  it('in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3100)).toBe('3.03 KiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
  });
});
