import type { Context, Next } from 'koa';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ProblemError, UNSTORABLE_TEXT } from '@oneservice/plugin-sdk';
import pg from 'pg';
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

type InputPart = 'body' | 'query' | 'params';

/** `metrics[3].value`, the way a field is named in every problem. */
function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), prefix);
}

/** Zod issues as field-level errors: `metrics[3].value`, with where the field was. */
export function zodProblem(where: InputPart, error: ZodError, prefix?: string): ProblemError {
  const errors = error.issues.map((issue) => ({ in: where, path: fieldPath(issue.path, prefix), message: issue.message }));
  const first = errors[0];
  const detail = first ? `${where}${first.path ? `.${first.path}` : ''}: ${first.message}` : `invalid ${where}`;
  return new ProblemError(400, 'Bad Request', detail, errors);
}

/** A string PostgreSQL could not store (found by findUnstorableText), as a 400 naming it. */
export function unstorableProblem(where: InputPart, path: readonly PropertyKey[]): ProblemError {
  const field = fieldPath(path);
  const errors = [{ in: where, path: field, message: UNSTORABLE_TEXT }];
  return new ProblemError(400, 'Bad Request', `${where}${field ? `.${field}` : ''}: ${UNSTORABLE_TEXT}`, errors);
}

/**
 * koa-router's allowedMethods answers a method the path does not declare with 405 (501 for a method it does
 * not know, such as TRACE) and an Allow header, in plain text. The API answers 405 problem+json for both:
 * the resource exists, this method is not one of its own. A path nobody declares stays 404.
 */
export function methodProblems() {
  return async (ctx: Context, next: Next) => {
    await next();
    if ((ctx.status !== 405 && ctx.status !== 501) || ctx.body !== undefined || !ctx.path.startsWith('/api/')) return;
    const allow = ctx.response.get('Allow');
    if (!allow) throw new ProblemError(404, 'Not Found', `no route ${ctx.method} ${ctx.path}`);
    throw new ProblemError(405, 'Method Not Allowed', `${ctx.path} answers ${allow}, not ${ctx.method}`);
  };
}

const PARSER_REFUSALS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * What Node's HTTP parser refuses before Koa sees it (a URL or headers over its 16 KiB limit, a malformed
 * request line) is answered in problem+json too, rather than with Node's bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, title] = PARSER_REFUSALS[error.code ?? ''] ?? [400, 'Bad Request'];
    const body = JSON.stringify({ type: `https://oneservice.dev/problems/${status}`, title, status, detail: status === 431 ? 'the URL or the headers are longer than the server reads (16 KiB)' : 'the request could not be parsed' });
    socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
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
      // A safety net, not the fix: PostgreSQL's "data exception" class (22xxx: invalid text representation,
      // out of range, untranslatable character…) means input passed the edge that should not have. The
      // client's input is at fault, so 400; the warning says which route needs a tighter schema.
      if (error instanceof pg.DatabaseError && error.code?.startsWith('22')) {
        logger.warn({ err: error, requestId: ctx.state.requestId, path: ctx.path }, 'input reached PostgreSQL and was refused there: tighten the route schema');
        // PostgreSQL's message is not echoed: knex prefixes it with the SQL.
        return sendProblem(ctx, new ProblemError(400, 'Bad Request', `a value of this request cannot be stored (PostgreSQL refused it with SQLSTATE ${error.code})`, undefined, { sqlstate: error.code }));
      }
      // Two requests that both passed a route's "does it exist?" check: the second one conflicts.
      if (error instanceof pg.DatabaseError && error.code === '23505') {
        return sendProblem(ctx, new ProblemError(409, 'Conflict', `this conflicts with an existing ${error.table ?? 'row'}${error.constraint ? ` (${error.constraint})` : ''}`));
      }
      if (status && status >= 400 && status < 500) {
        return sendProblem(ctx, new ProblemError(status, 'Bad Request', http.message ?? 'the request could not be read'));
      }
      logger.error({ err: error, requestId: ctx.state.requestId, path: ctx.path }, 'unhandled error');
      sendProblem(ctx, new ProblemError(500, 'Internal Server Error', `an unexpected error occurred; quote request id ${ctx.state.requestId} when reporting it`));
    }
  };
}
