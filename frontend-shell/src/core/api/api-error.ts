import type { ApiErrorLike, Problem } from '@oneservice/plugin-sdk/ui';
import { problemToText } from './problem-text.js';

export class ApiError extends Error implements ApiErrorLike {
  readonly readable: string;
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const readable = problemToText(problem);
    super(readable);
    this.name = 'ApiError';
    this.readable = readable;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Readable text of anything thrown: API problems, network failures, bugs. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return e.readable;
  if (e instanceof DOMException && e.name === 'AbortError') return 'The request was cancelled';
  if (e instanceof TypeError) return 'The server could not be reached; check the connection';
  return e instanceof Error ? e.message : String(e);
}
