import type { Problem } from '@oneservice/plugin-sdk/ui';

// A problem+json body becomes one readable sentence for a toast: people read the title and the
// detail, and for validation errors want to know which field is wrong, not a JSON dump.

const STATUS_TITLES: Record<number, string> = {
  400: 'The request was not valid',
  401: 'Your session has ended; please sign in again',
  403: 'You do not have permission to do this',
  404: 'Not found',
  409: 'This conflicts with the current state',
  413: 'The request is too large',
  422: 'Some fields are not valid',
  429: 'Too many requests; please wait a moment',
  500: 'The server failed to answer',
  502: 'An upstream service did not answer',
  503: 'The service is not available right now',
  504: 'An upstream service timed out',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads any error body into a Problem, inventing a sensible one when the body is not problem+json. */
export function toProblem(status: number, body: unknown, fallbackText = ''): Problem {
  if (isRecord(body) && typeof body.title === 'string') {
    const errors = Array.isArray(body.errors)
      ? body.errors.filter(isRecord).map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
      : undefined;
    return {
      ...body,
      title: body.title,
      status: typeof body.status === 'number' ? body.status : status,
      ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
      ...(errors ? { errors } : {}),
    } as Problem;
  }
  const detail = fallbackText.trim().slice(0, 200);
  return { title: STATUS_TITLES[status] ?? `Request failed (${status})`, status, ...(detail && !detail.startsWith('<') ? { detail } : {}) };
}

/** "Bad Request: email is taken — email: must be unique; role: invalid value" */
export function problemToText(problem: Problem): string {
  const title = problem.title || STATUS_TITLES[problem.status] || `Request failed (${problem.status})`;
  const parts = [title];
  const detail = problem.detail?.trim();
  if (detail && detail.toLowerCase() !== title.toLowerCase()) parts[0] = `${title}: ${detail}`;
  const fieldErrors = (problem.errors ?? [])
    .filter((e) => e.message)
    .slice(0, 5)
    .map((e) => (e.path ? `${humanPath(e.path)}: ${e.message}` : e.message));
  if (fieldErrors.length) parts.push(fieldErrors.join('; '));
  const more = (problem.errors?.length ?? 0) - fieldErrors.length;
  if (more > 0) parts.push(`and ${more} more`);
  const retry = retryAfterSeconds(problem);
  if (problem.status === 429 && retry !== null) parts.push(`try again in ${formatWait(retry)}`);
  return parts.join(' — ');
}

/** "body.settings.url" / "/settings/url" → "settings.url" */
function humanPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\//g, '.').replace(/^(body|query|params)\./, '');
}

export function retryAfterSeconds(problem: Problem): number | null {
  const v = problem.retry_after ?? problem.retryAfter;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.ceil(n) : null;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s ? `${m} min ${s} s` : `${m} min`;
}
