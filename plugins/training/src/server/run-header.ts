import type { RunStatus } from './ingest-schema.js';

/** What a batch says about its run: every field optional except the run's key. */
export interface RunHeader {
  clientRunId: string;
  name?: string | undefined;
  framework?: string | null | undefined;
  tags?: Record<string, unknown> | undefined;
  params?: Record<string, unknown> | undefined;
  status?: RunStatus | undefined;
  startedAt?: number | null | undefined;
  endedAt?: number | null | undefined;
  /** The client's ordering value for headers of this run (strictly increasing per client_run_id). */
  revision?: number | undefined;
}

/** The stored run, as much of it as deciding needs. */
export interface StoredRunOrder {
  status: RunStatus;
  /** The highest revision applied so far; null while only headers without one were applied. */
  revision: number | null;
}

export type HeaderVerdict = 'apply' | 'older' | 'unordered' | 'would-reopen';

/**
 * Whether a new batch's header may change its (existing) run. Batches travel concurrently, are retried
 * and are spooled for later, so they arrive out of order; a header is applied only when it is known to
 * be newer than what the run shows (docs/adr/0010-run-header-order.md):
 * - with a revision: only when it is above the highest applied one ('older' otherwise);
 * - without one, on a run that has one: never — it cannot be placed among them ('unordered');
 * - without one, on a run that never had one (an older client): as before, except that a header saying
 *   `running` does not reopen an ended run ('would-reopen'): a batch from before the end that arrives
 *   late looks just like a resume, and only a revision tells them apart.
 */
export function headerVerdict(stored: StoredRunOrder, header: Pick<RunHeader, 'status' | 'revision'>): HeaderVerdict {
  if (header.revision !== undefined) return stored.revision === null || header.revision > stored.revision ? 'apply' : 'older';
  if (stored.revision !== null) return 'unordered';
  if (stored.status !== 'running' && header.status === 'running') return 'would-reopen';
  return 'apply';
}
