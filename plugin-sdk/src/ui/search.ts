/// <reference lib="dom" />
/** One hit in the global search (Ctrl+K). */
export interface SearchResult {
  id: string;
  title: string;
  /** A second line: the section, the tenant, the kind of thing found. */
  subtitle?: string;
  /** Where Enter takes the user: an in-app path. */
  href: string;
}

/**
 * A source of search results. The kernel contributes pages, users and tenants; plugins add theirs
 * with `ctx.search.register(provider)`.
 */
export interface SearchProvider {
  id: string;
  /** The group heading in the result list. */
  title: string;
  /** Fewer characters than this never reach the provider (saves API calls on every key). */
  minQueryLength?: number;
  search(query: string, signal: AbortSignal): Promise<SearchResult[]>;
}

export interface SearchRegistry {
  /** Adds a provider until the returned function is called. */
  register(provider: SearchProvider): () => void;
}
