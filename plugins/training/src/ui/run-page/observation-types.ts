/// <reference lib="dom" />
// The observation routes' answers (logs, events, traces, artifacts) as the run page's tabs read them
// (the server's zod schemas in src/server/routes/observation-routes.ts and artifact-routes.ts are the source).

/** A log record of a run (GET /runs/:id/logs, and each `log` event of its follow stream). */
export interface RunLogRecord {
  id: string;
  ts: number;
  level: string;
  message: string;
  service?: string | null;
  stream?: string | null;
  traceId?: string | null;
  spanId?: string | null;
  fields?: Record<string, unknown>;
}

export interface CursorPage<T> {
  items: T[];
  next: string | null;
}

/** GET /runs/:id/events */
export interface RunEventRecord {
  id: string;
  ts: number;
  type: string;
  source: string;
  severity: 'info' | 'warning' | 'error' | 'critical';
  message?: string | null;
  attributes?: Record<string, string>;
  payload?: Record<string, unknown>;
}

/** GET /runs/:id/traces */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  start: number;
  durationMs: number;
  spanCount: number;
  services: string[];
  errorCount: number;
}

/** One span of GET /runs/:id/traces/:traceId */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  service: string;
  start: number;
  end: number;
  status: 'ok' | 'error' | 'unset';
  attributes?: Record<string, unknown>;
}

/** GET /runs/:id/artifacts */
export interface RunArtifact {
  id: string;
  run_id: string;
  path: string;
  type: string;
  size: number;
  sha256: string;
  created_at: string;
}
