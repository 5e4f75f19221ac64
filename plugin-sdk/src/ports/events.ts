import { definePort } from './port-ref.js';

export const EVENT_SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

export interface EventRecord {
  ts: number;
  /** e.g. checkpoint_saved, FailedScheduling, ImagePullBackOff. */
  type: string;
  /** Who produced it: `run`, `k8s`, `agent`, `alert`, … */
  source: string;
  severity: EventSeverity;
  message?: string | null;
  runId?: string | null;
  /** Free-form dimensions to filter on (namespace, pod, node, cluster …). */
  attributes?: Record<string, string>;
  payload?: Record<string, unknown>;
}

export interface StoredEventRecord extends EventRecord {
  id: string;
}

export interface EventSearch {
  from?: number;
  to?: number;
  types?: string[];
  sources?: string[];
  severities?: EventSeverity[];
  runId?: string;
  /** Exact matches on attributes. */
  attributes?: Record<string, string>;
  /** Words matched in type and message. */
  text?: string;
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
}

export interface EventPage {
  items: StoredEventRecord[];
  next: string | null;
}

export interface EventsPort {
  write(events: EventRecord[]): Promise<void>;
  search(search: EventSearch): Promise<EventPage>;
  /** Removes every event of this run (in this tenant); a run with none is not an error, so a retry is safe. */
  deleteRun(runId: string): Promise<void>;
}

export const eventsPort = definePort<EventsPort>('events');
