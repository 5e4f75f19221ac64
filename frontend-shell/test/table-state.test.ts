import { describe, expect, it } from '@jest/globals';
import {
  type TableState,
  applyLocalQuery,
  fromUrlParams,
  initialTableState,
  parseSort,
  setFilters,
  setPage,
  setPageSize,
  setSearch,
  toApiQuery,
  toggleAll,
  toggleSelection,
  toggleSort,
} from '../src/ui/data-table/table-state.js';

describe('data table state', () => {
  it('cycles a column through ascending, descending and unsorted, back on page 1', () => {
    let s = { ...initialTableState(), page: 5 };
    s = toggleSort(s, 'email');
    expect(s.sort).toEqual({ field: 'email', direction: 'asc' });
    expect(s.page).toBe(1);
    s = toggleSort(s, 'email');
    expect(s.sort).toEqual({ field: 'email', direction: 'desc' });
    s = toggleSort(s, 'email');
    expect(s.sort).toBeNull();
    s = toggleSort(toggleSort(s, 'email'), 'role');
    expect(s.sort).toEqual({ field: 'role', direction: 'asc' });
  });

  it('with a default sort never goes unsorted: the default column flips, others return to it', () => {
    const newestFirst = { field: 'at', direction: 'desc' } as const;
    let s: TableState = { ...initialTableState(), sort: newestFirst };
    s = toggleSort(s, 'at', newestFirst);
    expect(s.sort).toEqual({ field: 'at', direction: 'asc' });
    s = toggleSort(s, 'at', newestFirst);
    expect(s.sort).toEqual(newestFirst);
    s = toggleSort(toggleSort(toggleSort(s, 'actor', newestFirst), 'actor', newestFirst), 'actor', newestFirst);
    expect(s.sort).toEqual(newestFirst);
  });

  it('maps to the API list query exactly', () => {
    let s = initialTableState(25);
    s = setFilters(setSearch(toggleSort(toggleSort(s, 'at'), 'at'), 'bob'), { action: 'login', actor: '' });
    s = setPage(s, 3, 1000);
    expect(toApiQuery(s)).toEqual({ page: '3', page_size: '25', sort: '-at', q: 'bob', action: 'login' });
  });

  it('clamps pages to the result and page sizes to the API maximum', () => {
    const s = initialTableState(50);
    expect(setPage(s, 99, 120).page).toBe(3);
    expect(setPage(s, 0, 120).page).toBe(1);
    expect(setPage(s, 2, 0).page).toBe(1);
    expect(initialTableState(5000).pageSize).toBe(200);
    expect(setPageSize({ ...s, page: 3 }, 25).page).toBe(5); // row 100 stays in view
  });

  it('resets to page 1 when the search or a filter changes, and removes emptied filters', () => {
    const s = { ...initialTableState(), page: 4, filters: { role: 'SRE' } };
    expect(setSearch(s, 'x').page).toBe(1);
    const f = setFilters(s, { role: '' , outcome: 'failure' });
    expect(f.filters).toEqual({ outcome: 'failure' });
    expect(f.page).toBe(1);
  });

  it('selects rows one by one and all at once', () => {
    let s = initialTableState();
    s = toggleSelection(s, 'a');
    s = toggleSelection(s, 'b');
    expect(s.selection).toEqual(['a', 'b']);
    s = toggleSelection(s, 'a');
    expect(s.selection).toEqual(['b']);
    s = toggleAll(s, ['a', 'b', 'c']);
    expect(s.selection.sort()).toEqual(['a', 'b', 'c']);
    s = toggleAll(s, ['a', 'b', 'c']);
    expect(s.selection).toEqual([]);
  });

  it('rejects sort fields that are not identifiers (never passes junk to the API)', () => {
    expect(parseSort('-created_at')).toEqual({ field: 'created_at', direction: 'desc' });
    expect(parseSort('name;drop')).toBeNull();
    expect(fromUrlParams(new URLSearchParams('page=-2&size=abc&sort=%20'), '').page).toBe(1);
  });

  it('evaluates the same query on local rows: search, filter, sort, page', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, name: `run-${i}`, loss: (i * 7) % 11, state: i % 3 ? 'done' : 'failed' }));
    const valueOf = (r: (typeof rows)[number], id: string) => (r as Record<string, string | number>)[id];
    const cols = ['name', 'loss', 'state'];
    let q: TableState = { ...initialTableState(5), sort: { field: 'loss', direction: 'desc' }, filters: { state: 'failed' } };
    let page = applyLocalQuery(rows, valueOf, cols, q, true);
    expect(page.total).toBe(10);
    expect(page.items).toHaveLength(5);
    const losses = page.items.map((r) => r.loss);
    expect([...losses].sort((a, b) => b - a)).toEqual(losses);
    q = { ...q, filters: {}, q: 'run-2', sort: { field: 'name', direction: 'asc' } };
    page = applyLocalQuery(rows, valueOf, cols, q, false);
    expect(page.items.map((r) => r.name)).toEqual(['run-2', 'run-20', 'run-21', 'run-22', 'run-23', 'run-24', 'run-25', 'run-26', 'run-27', 'run-28', 'run-29']);
  });
});
