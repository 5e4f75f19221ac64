import { definePort } from './port-ref.js';

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  service: string;
  /** Milliseconds since the Unix epoch (fractions allowed). */
  start: number;
  end: number;
  status: 'ok' | 'error' | 'unset';
  runId?: string | null;
  attributes?: Record<string, unknown>;
}

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

export interface TraceSearch {
  service?: string;
  operation?: string;
  runId?: string;
  /** Exact matches on span attributes. */
  tags?: Record<string, string>;
  start?: number;
  end?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  limit?: number;
}

export interface ServiceDependency {
  parent: string;
  child: string;
  callCount: number;
}

export interface TracesPort {
  writeSpans(spans: SpanRecord[]): Promise<void>;
  findTraces(search: TraceSearch): Promise<TraceSummary[]>;
  /** All spans of a trace ordered by start, or null when the trace is unknown (in this tenant). */
  getTrace(traceId: string): Promise<SpanRecord[] | null>;
  services(): Promise<string[]>;
  operations(service: string): Promise<string[]>;
  dependencies(range: { start: number; end: number }): Promise<ServiceDependency[]>;
  /**
   * Removes the spans tagged with this run id (in this tenant); spans of the same traces that carry no
   * or another run id stay. A run with none is not an error, so a retry is safe.
   */
  deleteRun(runId: string): Promise<void>;
}

export const tracesPort = definePort<TracesPort>('traces');
