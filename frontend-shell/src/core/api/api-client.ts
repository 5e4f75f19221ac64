import type { ApiClient, Query, RequestOptions } from '@oneservice/plugin-sdk/ui';
import type { TokenStore } from '../auth/token-store.js';
import { ApiError } from './api-error.js';
import { followEventStream } from './event-stream.js';
import { toProblem } from './problem-text.js';

export const TENANT_HEADER = 'X-OneService-Tenant';

export interface ApiClientDeps {
  tokens: TokenStore;
  /** The tenant a super-admin acts for, sent on every call; null sends no header. */
  tenant: () => string | null;
  /** The refresh token was rejected: the session is over (the shell goes to the login page). */
  onSessionEnded: () => void;
  toast: (text: string) => void;
}

/** `/users` → `/api/v1/users`; absolute paths (`/api/…`, `/plugins/…`) and URLs are kept. */
export function apiPath(path: string): string {
  if (/^https?:\/\//.test(path) || path.startsWith('/api/') || path.startsWith('/plugins/')) return path;
  return `/api/v1${path.startsWith('/') ? '' : '/'}${path}`;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const item of values) if (item !== undefined && item !== null && item !== '') qs.append(k, String(item));
  }
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export function createApiClient(deps: ApiClientDeps): ApiClient & { refresh(): Promise<boolean> } {
  let refreshing: Promise<boolean> | null = null;

  /** One refresh at a time: concurrent 401s wait for the same rotation (the old token dies on use). */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const current = deps.tokens.get();
    if (!current) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const res = await fetch(apiPath('/auth/token/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: current.refresh_token }),
        });
        if (!res.ok) {
          // Another tab may have rotated the token a moment ago; its new one is in storage.
          const now = deps.tokens.get();
          if (now && now.refresh_token !== current.refresh_token) return true;
          return false;
        }
        deps.tokens.set((await res.json()) as { access_token: string; refresh_token: string; expires_in: number });
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function send(method: string, path: string, init: RequestInit & { query?: Query }, retried = false): Promise<Response> {
    if (!retried && deps.tokens.expiresSoon()) await refresh();
    const headers = new Headers(init.headers);
    const tokens = deps.tokens.get();
    if (tokens) headers.set('Authorization', `Bearer ${tokens.access_token}`);
    const tenant = deps.tenant();
    if (tenant) headers.set(TENANT_HEADER, tenant);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
    const res = await fetch(withQuery(apiPath(path), init.query), { ...init, method, headers });
    if (res.status === 401 && tokens && !retried) {
      if (await refresh()) return send(method, path, init, true);
      deps.onSessionEnded();
    }
    return res;
  }

  async function request<T>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      if (body instanceof FormData || body instanceof Blob) payload = body;
      else {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
    }
    const init: RequestInit & { query?: Query } = { headers };
    if (payload !== undefined) init.body = payload;
    if (options.signal) init.signal = options.signal;
    if (options.query) init.query = options.query;
    let res: Response;
    try {
      res = await send(method, path, init);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError') && !options.silent) {
        deps.toast('The server could not be reached; check the connection');
      }
      throw e;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const parsed = parseJson(text);
    if (!res.ok) {
      const problem = toProblem(res.status, parsed, text);
      const retryAfter = res.headers.get('Retry-After');
      if (retryAfter && problem.retry_after === undefined) problem.retry_after = Number(retryAfter);
      const error = new ApiError(res.status, problem);
      // A 401 after a failed refresh already sent the user to the login page; no toast on top.
      if (!options.silent && res.status !== 401) deps.toast(error.readable);
      throw error;
    }
    return (parsed ?? (text as unknown)) as T;
  }

  return {
    refresh,
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
    put: (path, body, options) => request('PUT', path, body, options),
    patch: (path, body, options) => request('PATCH', path, body, options),
    delete: (path, options) => request('DELETE', path, undefined, options),
    fetch: (path, init = {}) => send((init.method ?? 'GET').toUpperCase(), path, init),
    events: (path, options) => followEventStream((p, init) => send('GET', p, init), path, options),
  };
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
