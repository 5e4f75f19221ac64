import { definePort } from './port-ref.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogRecord {
  /** Milliseconds since the Unix epoch. */
  ts: number;
  level: LogLevel;
  message: string;
  service?: string | null;
  host?: string | null;
  runId?: string | null;
  traceId?: string | null;
  spanId?: string | null;
  stream?: string | null;
  fields?: Record<string, unknown>;
}

export interface StoredLogRecord extends LogRecord {
  /** Opaque, ordered by (ts, insertion): a cursor for paging a search. */
  id: string;
}

export interface LogSearch {
  /** Lucene-style subset: terms, "phrases", field:value, AND/OR/NOT, field:[a TO b], field:>n. */
  query?: string;
  from?: number;
  to?: number;
  runId?: string;
  limit?: number;
  /** Newest first by default. */
  order?: 'asc' | 'desc';
  /** Continue after this record id (in the chosen order). */
  after?: string;
}

export interface LogPage {
  items: StoredLogRecord[];
  /** Pass as `after` for the next page; null when there is no more. */
  next: string | null;
}

/**
 * Following the records of a search as they arrive. Records are handed out in the order they become
 * visible (committed), not by `ts`: a batch that commits late, or carries old timestamps, is still
 * delivered, after what was already delivered.
 */
export interface LogFollow extends Pick<LogSearch, 'query' | 'runId' | 'from' | 'limit'> {
  /**
   * A page's `next`, or the `cursor` of a record already received: continue exactly after it.
   * Without one, the page is the newest `limit` records (oldest first) and `next` follows from there.
   */
  cursor?: string;
}

export interface FollowedLogRecord extends StoredLogRecord {
  /** Resuming from here hands out every later record exactly once (an SSE event id). */
  cursor: string;
}

export interface LogFollowPage {
  items: FollowedLogRecord[];
  /** Always set: the position after this page, to pass as `cursor` on the next call. */
  next: string;
}

export interface HistogramBucket {
  ts: number;
  count: number;
}

/** Logs of one tenant (the port instance is already bound to it). */
export interface LogsPort {
  write(records: LogRecord[]): Promise<void>;
  search(search: LogSearch): Promise<LogPage>;
  /**
   * Gap-free following: successive calls, each with the previous `next`, hand out every record
   * written (committed) after the first call exactly once, whatever the order in which concurrent
   * writes commit; the records of one `write` keep their order and are never interleaved with
   * another write's. A record is handed out on the first call after its write has returned.
   */
  follow(follow: LogFollow): Promise<LogFollowPage>;
  histogram(search: Omit<LogSearch, 'limit' | 'after' | 'order'> & { buckets: number }): Promise<HistogramBucket[]>;
  /** Removes every record of this run (in this tenant); a run with none is not an error, so a retry is safe. */
  deleteRun(runId: string): Promise<void>;
}

export const logsPort = definePort<LogsPort>('logs');
