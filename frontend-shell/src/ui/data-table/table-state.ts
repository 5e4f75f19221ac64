import type { PageOf, TableQuery, TableSort } from '@oneservice/plugin-sdk/ui';
import { readList, writeList } from '../../core/router/url-state.js';

// The table's state is a plain value with pure transitions, so sorting, paging, filtering and
// selection are unit-tested without a DOM and round-trip through the URL exactly.

export interface TableState extends TableQuery {
  selection: string[];
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;
/** The API caps page_size at 200; asking for more would be rejected. */
export const MAX_PAGE_SIZE = 200;

export function initialTableState(pageSize = 50): TableState {
  return { page: 1, pageSize: clampPageSize(pageSize), sort: null, q: '', filters: {}, selection: [] };
}

export function clampPageSize(size: number): number {
  if (!Number.isFinite(size) || size < 1) return 50;
  return Math.min(Math.floor(size), MAX_PAGE_SIZE);
}

/** `-created_at` → created_at descending; the API's own sort syntax. */
export function parseSort(text: string | null | undefined): TableSort | null {
  if (!text) return null;
  const desc = text.startsWith('-');
  const field = desc ? text.slice(1) : text;
  // Metric names (metric.train/loss) carry / : and - too.
  return /^[A-Za-z_][\w.:/-]*$/.test(field) ? { field, direction: desc ? 'desc' : 'asc' } : null;
}

export function formatSort(sort: TableSort | null): string | null {
  return sort ? `${sort.direction === 'desc' ? '-' : ''}${sort.field}` : null;
}

/**
 * Clicking a header cycles ascending → descending → unsorted, and always returns to page 1.
 * A table with a default sort has no "unsorted" (an absent sort means the default, in the URL and
 * on the server): the third click goes back to the default, and the default's own column just
 * flips between its two directions.
 */
export function toggleSort(state: TableState, field: string, fallback: TableSort | null = null): TableState {
  let sort: TableSort | null;
  if (!state.sort || state.sort.field !== field) sort = { field, direction: 'asc' };
  else if (state.sort.direction === 'asc') sort = { field, direction: 'desc' };
  else sort = null;
  if (!sort && fallback) sort = fallback.field === field ? { field, direction: 'asc' } : fallback;
  return { ...state, sort, page: 1 };
}

export function setPage(state: TableState, page: number, total: number): TableState {
  const last = lastPage(total, state.pageSize);
  return { ...state, page: Math.min(Math.max(1, Math.floor(page)), last) };
}

export function setPageSize(state: TableState, pageSize: number): TableState {
  // Keep the first visible row on screen: recompute the page that contains it.
  const firstRow = (state.page - 1) * state.pageSize;
  const size = clampPageSize(pageSize);
  return { ...state, pageSize: size, page: Math.floor(firstRow / size) + 1 };
}

export function setSearch(state: TableState, q: string): TableState {
  return { ...state, q, page: 1 };
}

/** Merges filters (empty value removes one); a changed filter means a new result set, so page 1. */
export function setFilters(state: TableState, filters: Record<string, string>): TableState {
  const next: Record<string, string> = { ...state.filters };
  for (const [k, v] of Object.entries(filters)) {
    if (v) next[k] = v;
    else delete next[k];
  }
  return { ...state, filters: next, page: 1 };
}

export function toggleSelection(state: TableState, key: string): TableState {
  const has = state.selection.includes(key);
  return { ...state, selection: has ? state.selection.filter((k) => k !== key) : [...state.selection, key] };
}

/** Selects every key given, or clears them all when all of them were already selected. */
export function toggleAll(state: TableState, keys: readonly string[]): TableState {
  const all = keys.length > 0 && keys.every((k) => state.selection.includes(k));
  const selection = all
    ? state.selection.filter((k) => !keys.includes(k))
    : [...new Set([...state.selection, ...keys])];
  return { ...state, selection };
}

export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** The list endpoint's query parameters (`page`, `page_size`, `sort`, `q`, and each filter). */
export function toApiQuery(query: TableQuery): Record<string, string> {
  const out: Record<string, string> = { page: String(query.page), page_size: String(query.pageSize) };
  const sort = formatSort(query.sort);
  if (sort) out.sort = sort;
  if (query.q) out.q = query.q;
  for (const [k, v] of Object.entries(query.filters)) if (v) out[k] = v;
  return out;
}

const keyFor = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/**
 * The URL parameters for a table's state; values equal to the defaults are left out (null) so
 * links stay short. Filters are not written here: the filter bar that owns them writes them.
 */
export function toUrlParams(state: TableState, prefix = '', defaults = initialTableState()): Record<string, string | null> {
  return {
    [keyFor(prefix, 'page')]: state.page !== 1 ? String(state.page) : null,
    [keyFor(prefix, 'size')]: state.pageSize !== defaults.pageSize ? String(state.pageSize) : null,
    [keyFor(prefix, 'sort')]: formatSort(state.sort),
    [keyFor(prefix, 'q')]: state.q || null,
    [keyFor(prefix, 'sel')]: writeList(state.selection),
  };
}

export function fromUrlParams(
  query: URLSearchParams,
  prefix = '',
  defaults = initialTableState(),
  filterKeys: readonly string[] = [],
): TableState {
  const page = Number(query.get(keyFor(prefix, 'page')) ?? 1);
  const size = Number(query.get(keyFor(prefix, 'size')) ?? defaults.pageSize);
  const filters: Record<string, string> = {};
  for (const key of filterKeys) {
    const v = query.get(key);
    if (v) filters[key] = v;
  }
  return {
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: clampPageSize(size),
    sort: parseSort(query.get(keyFor(prefix, 'sort'))) ?? defaults.sort,
    q: query.get(keyFor(prefix, 'q')) ?? '',
    filters,
    selection: readList(query, keyFor(prefix, 'sel')),
  };
}

/** Client-side evaluation of the same query, for tables whose rows are already in the browser. */
export function applyLocalQuery<T>(
  rows: readonly T[],
  valueOf: (row: T, columnId: string) => string | number | null | undefined,
  columnIds: readonly string[],
  query: TableQuery,
  paginate: boolean,
): PageOf<T> {
  const needle = query.q.trim().toLowerCase();
  let out = rows.filter((row) => {
    if (needle && !columnIds.some((id) => String(valueOf(row, id) ?? '').toLowerCase().includes(needle))) return false;
    return Object.entries(query.filters).every(([id, v]) => String(valueOf(row, id) ?? '') === v);
  });
  if (query.sort) {
    const { field, direction } = query.sort;
    const sign = direction === 'desc' ? -1 : 1;
    out = [...out].sort((a, b) => sign * compareValues(valueOf(a, field), valueOf(b, field)));
  }
  const total = out.length;
  if (!paginate) return { items: out, total, page: 1, page_size: total };
  const start = (query.page - 1) * query.pageSize;
  return { items: out.slice(start, start + query.pageSize), total, page: query.page, page_size: query.pageSize };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // Blank cells sort after values when ascending: users sort to find values, not gaps.
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}
