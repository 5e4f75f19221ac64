import type { SearchProvider, SearchRegistry, SearchResult } from '@oneservice/plugin-sdk/ui';

export interface SearchGroup {
  provider: SearchProvider;
  results: SearchResult[];
  error: string | null;
}

/** Per provider, so one slow or failing source never hides the others' results. */
const PROVIDER_TIMEOUT_MS = 4_000;
const MAX_PER_PROVIDER = 8;

export class SearchRegistryImpl implements SearchRegistry {
  private readonly providers = new Map<string, SearchProvider>();

  register(provider: SearchProvider): () => void {
    this.providers.set(provider.id, provider);
    return () => {
      if (this.providers.get(provider.id) === provider) this.providers.delete(provider.id);
    };
  }

  /** Queries every provider in parallel; results arrive group by group through `onGroup`. */
  async query(text: string, signal: AbortSignal, onGroup: (g: SearchGroup) => void): Promise<void> {
    const q = text.trim();
    await Promise.all(
      [...this.providers.values()].map(async (provider) => {
        if (q.length < (provider.minQueryLength ?? 1)) return;
        const timeout = AbortSignal.timeout(PROVIDER_TIMEOUT_MS);
        const both = AbortSignal.any([signal, timeout]);
        try {
          const results = await provider.search(q, both);
          if (!signal.aborted) onGroup({ provider, results: results.slice(0, MAX_PER_PROVIDER), error: null });
        } catch (e) {
          if (signal.aborted) return;
          onGroup({ provider, results: [], error: timeout.aborted ? 'timed out' : e instanceof Error ? e.message : String(e) });
        }
      }),
    );
  }
}
