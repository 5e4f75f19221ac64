/** One field-level reason in a problem+json answer. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/**
 * Thrown by handlers (kernel and plugins) to answer with application/problem+json. Anything else
 * thrown becomes a 500 that hides its message, so expected failures must use this.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemFieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

export const notFound = (what: string) => new ProblemError(404, 'Not Found', `${what} was not found`);
export const badRequest = (detail: string, errors?: ProblemFieldError[]) =>
  new ProblemError(400, 'Bad Request', detail, errors);
export const conflict = (detail: string) => new ProblemError(409, 'Conflict', detail);
export const forbidden = (detail: string) => new ProblemError(403, 'Forbidden', detail);
