import { describe, expect, it } from '@jest/globals';
import { carryTimeRange, formatHref, mergeQuery, parseHref, readList, writeList } from '../src/core/router/url-state.js';
import { fromUrlParams, initialTableState, toUrlParams } from '../src/ui/data-table/table-state.js';

describe('URL state', () => {
  it('parses and formats a link without losing anything', () => {
    const href = '/admin/audit?action=login&from=now-6h&page=3&to=now#row-7';
    const { path, query, hash } = parseHref(href);
    expect(path).toBe('/admin/audit');
    expect(hash).toBe('row-7');
    expect(formatHref(path, query, hash)).toBe(href);
  });

  it('normalises paths and orders parameters so equal state gives an equal URL', () => {
    const a = parseHref('//admin//users/?b=2&a=1');
    expect(a.path).toBe('/admin/users');
    expect(formatHref(a.path, a.query)).toBe('/admin/users?a=1&b=2');
    expect(formatHref('/', new URLSearchParams('x='))).toBe('/');
  });

  it('merges parameters, removing empty ones', () => {
    const q = mergeQuery(new URLSearchParams('a=1&b=2'), { a: null, b: '3', c: 'x y' });
    expect(q.toString()).toBe('b=3&c=x+y');
  });

  it('carries the time range into a new location unless it sets its own', () => {
    const from = new URLSearchParams('from=now-6h&to=now&refresh=1m&page=4');
    expect(carryTimeRange(from, new URLSearchParams('q=x')).toString()).toBe('q=x&from=now-6h&to=now&refresh=1m');
    expect(carryTimeRange(from, new URLSearchParams('from=now-1d')).get('from')).toBe('now-1d');
  });

  it('round-trips lists, including values with commas', () => {
    const q = new URLSearchParams();
    q.set('sel', writeList(['a', 'b,c', 'ü'])!);
    expect(readList(new URLSearchParams(q.toString()), 'sel')).toEqual(['a', 'b,c', 'ü']);
    expect(writeList([])).toBeNull();
  });

  it('round-trips a table state through the URL, with and without a prefix', () => {
    const state = { ...initialTableState(50), page: 4, pageSize: 100, sort: { field: 'created_at', direction: 'desc' as const }, q: 'alice', selection: ['u1', 'u2'], filters: { role: 'SRE' } };
    for (const prefix of ['', 'users']) {
      const query = mergeQuery(new URLSearchParams('role=SRE&from=now-1h'), toUrlParams(state, prefix));
      const href = formatHref('/admin/users', query);
      const back = fromUrlParams(parseHref(href).query, prefix, initialTableState(50), ['role']);
      expect(back).toEqual(state);
    }
  });

  it('leaves defaults out of the URL', () => {
    expect(Object.values(toUrlParams(initialTableState(50))).every((v) => v === null)).toBe(true);
  });
});
