/// <reference lib="dom" />
/** The current URL as the shell's router sees it. */
export interface RouteLocation {
  path: string;
  /** Query parameters; every view keeps its state (filters, selection, sort, page) here. */
  query: URLSearchParams;
  hash: string;
}

export interface NavigateOptions {
  /** Replace the history entry instead of pushing one (typing in a filter, paging). */
  replace?: boolean;
  /** Keep the global time range parameters (`from`, `to`, `refresh`); true by default. */
  keepTimeRange?: boolean;
}

export interface Router {
  readonly location: RouteLocation;
  /** Goes to a path (with an optional query string) through the History API. */
  navigate(to: string, options?: NavigateOptions): void;
  /** Merges query parameters into the current URL; `null` removes one. */
  setQuery(params: Record<string, string | null | undefined>, options?: NavigateOptions): void;
  /** Calls back on every location change (navigation, back/forward); returns the unsubscribe. */
  subscribe(listener: (location: RouteLocation) => void): () => void;
  /** An href for a path that keeps the time range, for plain links that open in a new tab too. */
  href(to: string): string;
}
