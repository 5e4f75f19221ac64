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
  /** Opaque, ordered by (ts, insertion): a cursor for paging and for following. */
  id: string;
}

export interface LogSearch {
  /** Lucene-style subset: terms, "phrases", field:value, AND/OR/NOT, field:[a TO b], field:>n. */
  query?: string;
  from?: number;
  to?: number;
  runId?: string;
  limit?: number;
  /** Newest first by default; `asc` for following. */
  order?: 'asc' | 'desc';
  /** Continue after this record id (in the chosen order). */
  after?: string;
}

export interface LogPage {
  items: StoredLogRecord[];
  /** Pass as `after` for the next page; null when there is no more. */
  next: string | null;
}

export interface HistogramBucket {
  ts: number;
  count: number;
}

/** Logs of one tenant (the port instance is already bound to it). */
export interface LogsPort {
  write(records: LogRecord[]): Promise<void>;
  search(search: LogSearch): Promise<LogPage>;
  histogram(search: Omit<LogSearch, 'limit' | 'after' | 'order'> & { buckets: number }): Promise<HistogramBucket[]>;
  /** Removes every record of this run (in this tenant); a run with none is not an error, so a retry is safe. */
  deleteRun(runId: string): Promise<void>;
}
