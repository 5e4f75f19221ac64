import type { Context, Next } from 'koa';
import { ProblemError } from '@oneservice/plugin-sdk';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';

export function sendProblem(ctx: Context, problem: ProblemError): void {
  ctx.status = problem.status;
  ctx.type = 'application/problem+json';
  if (typeof problem.extra?.retry_after === 'number') ctx.set('Retry-After', String(problem.extra.retry_after));
  ctx.body = {
    type: `https://oneservice.dev/problems/${problem.status}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.extra ?? {}),
    instance: ctx.path,
    request_id: ctx.state.requestId,
  };
}

/** Zod issues as field-level errors: `metrics[3].value`, with where the field was. */
export function zodProblem(where: 'body' | 'query' | 'params', error: ZodError, prefix?: string): ProblemError {
  const errors = error.issues.map((issue) => ({
    in: where,
    path: issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), prefix ?? ''),
    message: issue.message,
  }));
  const first = errors[0];
  const detail = first ? `${where}${first.path ? `.${first.path}` : ''}: ${first.message}` : `invalid ${where}`;
  return new ProblemError(400, 'Bad Request', detail, errors);
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  limit?: number;
  message?: string;
}

/**
 * Turns every failure into application/problem+json. Expected failures (ProblemError, body parser
 * errors with a 4xx status) keep their message; anything else is a 500 that hides internals and is
 * logged with the request id so it can be found.
 */
export function problemMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        sendProblem(ctx, new ProblemError(404, 'Not Found', `no route ${ctx.method} ${ctx.path}`));
      }
    } catch (error) {
      if (error instanceof ProblemError) return sendProblem(ctx, error);
      const http = error as HttpLikeError;
      const status = http.status ?? http.statusCode;
      if (status === 413 || http.type === 'entity.too.large') {
        return sendProblem(ctx, new ProblemError(413, 'Payload Too Large', `the body is larger than the limit of ${http.limit ?? 'the configured'} bytes`, undefined, { limit: http.limit }));
      }
      if (status && status >= 400 && status < 500) {
        return sendProblem(ctx, new ProblemError(status, 'Bad Request', http.message ?? 'the request could not be read'));
      }
      logger.error({ err: error, requestId: ctx.state.requestId, path: ctx.path }, 'unhandled error');
      sendProblem(ctx, new ProblemError(500, 'Internal Server Error', `an unexpected error occurred; quote request id ${ctx.state.requestId} when reporting it`));
    }
  };
}
