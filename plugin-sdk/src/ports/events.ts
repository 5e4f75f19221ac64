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
  /** Newest first by default. */
  order?: 'asc' | 'desc';
  /**
   * Continue after this event id (in the chosen order): paging through what is stored. It is not a
   * way to follow new events — one committed late, or with an older ts, lands behind it: use follow().
   */
  after?: string;
}

export interface EventPage {
  items: StoredEventRecord[];
  next: string | null;
}

/**
 * Following the events of a search as they arrive. Events are handed out in the order they become
 * visible (committed), not by `ts`: a write that commits late, or carries old timestamps, is still
 * delivered, after what was already delivered.
 */
export interface EventFollow extends Omit<EventSearch, 'to' | 'order' | 'after'> {
  /**
   * A page's `next`, or the `cursor` of an event already received: continue exactly after it.
   * Without one, the page is the newest `limit` events (oldest first) and `next` follows from there.
   */
  cursor?: string;
}

export interface FollowedEventRecord extends StoredEventRecord {
  /** Resuming from here hands out every later event exactly once (an SSE event id). */
  cursor: string;
}

export interface EventFollowPage {
  items: FollowedEventRecord[];
  /** Always set: the position after this page, to pass as `cursor` on the next call. */
  next: string;
}

export interface EventsPort {
  write(events: EventRecord[]): Promise<void>;
  search(search: EventSearch): Promise<EventPage>;
  /**
   * Gap-free following: successive calls, each with the previous `next`, hand out every event
   * written (committed) after the first call exactly once, whatever the order in which concurrent
   * writes commit; the events of one `write` keep their order and are never interleaved with
   * another write's. An event is handed out on the first call after its write has returned.
   */
  follow(follow: EventFollow): Promise<EventFollowPage>;
  /** Removes every event of this run (in this tenant); a run with none is not an error, so a retry is safe. */
  deleteRun(runId: string): Promise<void>;
}

export const eventsPort = definePort<EventsPort>('events');
