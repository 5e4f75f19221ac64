/// <reference lib="dom" />
/** A problem+json body (RFC 9457) as the kernel and plugins answer errors. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * By default a failed call also shows a toast with the problem's readable text. Pages that show
   * the error themselves (a form's field errors, an error state) pass `silent: true`.
   */
  silent?: boolean;
}

/** A paginated list as every list endpoint answers it. */
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/**
 * Calls the platform API under `/api/v1` (or any absolute path). Adds the bearer token and the
 * tenant header, refreshes the session once on a 401, parses JSON, and rejects with `ApiErrorLike`.
 */
export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  delete<T = void>(path: string, options?: RequestOptions): Promise<T>;
  /** The raw response, for streams and downloads; auth and tenant headers are added the same way. */
  fetch(path: string, init?: RequestInit & { query?: Query }): Promise<Response>;
  /**
   * Follows a text/event-stream endpoint until the returned stop is called. Read through `fetch`
   * (EventSource cannot send the bearer header): resumes with `Last-Event-ID` after a drop, retries
   * with backoff on network errors, 5xx and 429, and gives up on any other refusal. Returns the stop.
   */
  events(path: string, options: EventStreamOptions): () => void;
}

/** Where a followed stream stands: the first connect, open, waiting to connect again, given up. */
export type EventStreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventStreamOptions {
  query?: Query;
  /** One event: its `event:` name (`message` when none), its data lines joined, the last id seen. */
  onEvent(event: string, data: string, id: string | null): void;
  /** `detail` says why a reconnect is coming and when. */
  onState?(state: EventStreamState, detail?: string): void;
  /** A 4xx other than 429 (a bad query, a run that is not there): the stream is closed for good. */
  onRefused?(status: number, problem: Problem): void;
}

/** What an ApiClient rejects with: the HTTP status, the problem body and its readable text. */
export interface ApiErrorLike extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** The text a toast shows: title, detail and field errors in one readable line. */
  readonly readable: string;
}
