/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { orderMetricNames } from '../../compare/metric-order.js';
import type { TimeWindow } from './replay-window.js';

type Wire = number | string | null;
export interface ReplayBucket {
  x: number;
  min: Wire;
  max: Wire;
  mean: Wire;
  last: Wire;
  count: number;
}
export interface ReplaySeries {
  name: string;
  exact: boolean;
  buckets: ReplayBucket[];
}
export interface ReplayLog {
  id: string;
  ts: number;
  level: string;
  message: string;
  stream?: string | null;
  fields?: Record<string, unknown>;
}
export interface ReplayEvent {
  id: string;
  ts: number;
  type: string;
  severity?: string;
  message?: string | null;
  source?: string;
}
export interface ReplaySpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  service?: string;
  start: number;
  end: number;
  status?: string;
}
/** What `POST /runs/:id/replay` answers for a window. */
export interface ReplayWindowData extends TimeWindow {
  metrics: ReplaySeries[];
  logs: ReplayLog[];
  events: ReplayEvent[];
  spans: ReplaySpan[];
}

/** Non-finite values travel as "NaN" / "Infinity"; null is a gap. */
export const wireNumber = (v: Wire): number | null => (v === null ? null : typeof v === 'number' ? v : Number(v));

export const runPath = (runId: string) => `/api/v1/runs/${encodeURIComponent(runId)}`;

export function fetchWindow(ctx: ShellContext, runId: string, window: TimeWindow, signal: AbortSignal): Promise<ReplayWindowData> {
  return ctx.api.post<ReplayWindowData>(`${runPath(runId)}/replay`, { from: Math.floor(window.from), to: Math.ceil(window.to) }, { signal, silent: true });
}

/** Every event of the run (they are few: checkpoints, evals, failures): the timeline's marks and "next event". */
export async function fetchAllEvents(ctx: ShellContext, runId: string, signal: AbortSignal): Promise<ReplayEvent[]> {
  const page = await ctx.api.get<{ items: ReplayEvent[] }>(`${runPath(runId)}/events`, { query: { limit: 5000 }, signal, silent: true });
  return [...page.items].sort((a, b) => a.ts - b.ts);
}

/** A metric's whole curve by time, the context the cursor moves over. */
export async function fetchCurve(ctx: ShellContext, runId: string, name: string, signal: AbortSignal): Promise<ReplaySeries> {
  return ctx.api.get<ReplaySeries>(`${runPath(runId)}/metrics`, { query: { name, by: 'time', points: 600 }, signal, silent: true });
}

/** The value a metric had at a moment: the last value of the bucket holding it (buckets are a few seconds wide). */
export function valueAt(series: ReplaySeries | undefined, at: number): number | null {
  if (!series) return null;
  let found: ReplayBucket | undefined;
  for (const b of series.buckets) {
    if (b.x > at) break;
    found = b;
  }
  return found ? wireNumber(found.last) : null;
}

/** The curves shown by default: the usual training curves first, four at most. */
export const curveNames = (names: readonly string[], count = 4): string[] => orderMetricNames(names).slice(0, count);
