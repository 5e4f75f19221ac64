// The URL is the single place view state lives (section, tab, filters, selection, time range), so
// reload, back/forward and shared links restore a view exactly. These helpers keep the mapping
// between typed state and query strings in one tested place.

export const TIME_KEYS = ['from', 'to', 'refresh'] as const;

/** Splits "/a/b?x=1#h" into its parts; the path is normalised (no trailing slash, never empty). */
export function parseHref(href: string): { path: string; query: URLSearchParams; hash: string } {
  const hashAt = href.indexOf('#');
  const hash = hashAt >= 0 ? href.slice(hashAt + 1) : '';
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const qAt = beforeHash.indexOf('?');
  const rawPath = qAt >= 0 ? beforeHash.slice(0, qAt) : beforeHash;
  const query = new URLSearchParams(qAt >= 0 ? beforeHash.slice(qAt + 1) : '');
  return { path: normalisePath(rawPath), query, hash };
}

export function normalisePath(path: string): string {
  const clean = ('/' + path).replace(/\/{2,}/g, '/');
  return clean.length > 1 ? clean.replace(/\/$/, '') : '/';
}

/** Sorted, so the same state always gives the same URL (stable links, no needless history entries). */
export function formatHref(path: string, query: URLSearchParams, hash = ''): string {
  const entries = [...query.entries()].filter(([, v]) => v !== '');
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const qs = new URLSearchParams(entries).toString();
  return `${normalisePath(path)}${qs ? `?${qs}` : ''}${hash ? `#${hash}` : ''}`;
}

/** Returns a copy of `query` with `params` merged in; null, undefined and '' remove a key. */
export function mergeQuery(query: URLSearchParams, params: Record<string, string | null | undefined>): URLSearchParams {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** Keeps only the time-range keys of `from` and applies them onto `to` (navigating keeps the range). */
export function carryTimeRange(from: URLSearchParams, to: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(to);
  for (const key of TIME_KEYS) {
    const v = from.get(key);
    if (v !== null && !next.has(key)) next.set(key, v);
  }
  return next;
}

/** Reads a list kept as one comma-separated parameter (selections, visible columns). */
export function readList(query: URLSearchParams, key: string): string[] {
  const raw = query.get(key);
  return raw ? raw.split(',').map(decodeURIComponent).filter(Boolean) : [];
}

export function writeList(values: readonly string[]): string | null {
  return values.length ? values.map((v) => encodeURIComponent(v)).join(',') : null;
}
