import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import { PassThrough } from 'node:stream';
import { ProblemError, TOKEN_SCOPES, findUnstorableText, scopeToTenant, type Principal, type RawReply, type RouteDefinition, type SseStream, type TokenScope } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import type { ZodType } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import { TENANT_HEADER } from '../auth/authenticator.js';
import { unstorableProblem, zodProblem } from './problem.js';

export interface RegisteredRoute {
  owner: string;
  definition: RouteDefinition<any, any, any, any>;
}

export interface RouteRegistryOptions {
  knex: Knex;
  authenticator: Authenticator;
  bodyLimitBytes: number;
  /** Plugin routes answer 404 in tenants that disabled the plugin. */
  isEnabledFor(owner: string, tenantId: string): Promise<boolean>;
  /** Known permission ids: a route naming an undeclared permission is a boot error. */
  hasPermission(id: string): boolean;
  /** Tests validate every answer against its declared schema, so the OpenAPI document cannot drift. */
  validateResponses: boolean;
}

const isRawReply = (value: unknown): value is RawReply =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'raw';

/**
 * Where ctx.route declarations go. One declaration yields the route, its validation, its RBAC guard,
 * its tenant scope and (through openapi.ts) its OpenAPI entry. Registration closes when the
 * platform starts.
 */
export class RouteRegistry {
  readonly routes: RegisteredRoute[] = [];
  private sealed = false;
  private readonly parseBody: Middleware;

  constructor(private readonly options: RouteRegistryOptions) {
    const limit = options.bodyLimitBytes;
    this.parseBody = bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, encoding: 'utf-8' }) as unknown as Middleware;
  }

  add(owner: string, definition: RouteDefinition<any, any, any, any>): void {
    if (this.sealed) throw new Error(`route registry is sealed: ${owner} tried to add ${definition.method} ${definition.path} after start`);
    const { permission } = definition;
    if (permission !== 'public' && permission !== 'authenticated' && !this.options.hasPermission(permission)) {
      throw new Error(`${owner} declares ${definition.method} ${definition.path} with permission ${permission}, which nobody declared`);
    }
    const clash = this.routes.find((r) => r.definition.method === definition.method && r.definition.path === definition.path);
    if (clash) throw new Error(`${definition.method} ${definition.path} is declared by both ${clash.owner} and ${owner}`);
    this.routes.push({ owner, definition });
  }

  /** Drops the routes of a plugin whose setup failed under boot policy `continue`. */
  removeOwner(owner: string): void {
    for (let i = this.routes.length - 1; i >= 0; i -= 1) if (this.routes[i]!.owner === owner) this.routes.splice(i, 1);
  }

  seal(): void {
    this.sealed = true;
  }

  /**
   * The API-token scopes that holders of `permissions` can use on at least one route. Routes any
   * signed-in user may call (their own preferences, their own tokens — which a token cannot manage
   * anyway) do not count: a read-only user's `write` token would work on nothing they came for.
   */
  usableScopes(permissions: ReadonlySet<string>): TokenScope[] {
    const usable = new Set<TokenScope>();
    for (const { definition } of this.routes) {
      if (['public', 'authenticated', 'tokens:own'].includes(definition.permission) || !permissions.has(definition.permission)) continue;
      for (const scope of scopesOf(definition)) usable.add(scope);
    }
    return TOKEN_SCOPES.filter((scope) => usable.has(scope));
  }

  buildRouter(): Router {
    const router = new Router({ prefix: '/api/v1' });
    // Static segments before parameters, so `/runs/compare` is never taken for `/runs/:id`.
    const ordered = [...this.routes].sort((a, b) => specificity(b.definition.path) - specificity(a.definition.path));
    for (const route of ordered) {
      const method = route.definition.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      router[method](route.definition.path, this.handlerFor(route));
    }
    return router;
  }

  private handlerFor({ owner, definition }: RegisteredRoute): Middleware {
    const scopes = scopesOf(definition);
    return async (ctx: Context) => {
      const principal = definition.permission === 'public' ? null : await this.options.authenticator.authenticate(ctx.get('authorization') || undefined, ctx.get(TENANT_HEADER) || undefined);
      if (principal) authorize(principal, definition.permission, scopes);
      const tenantId = principal?.tenantId ?? null;
      if (definition.tenant !== 'optional' && definition.permission !== 'public' && !tenantId) {
        throw new ProblemError(400, 'Bad Request', 'this route acts in a tenant: as a platform super-admin, name one with the X-OneService-Tenant header');
      }
      ctx.state.principal = principal;
      ctx.state.tenantId = tenantId;
      if (owner !== 'kernel' && tenantId && !(await this.options.isEnabledFor(owner, tenantId))) {
        throw new ProblemError(404, 'Not Found', `the ${owner} plugin is disabled for this tenant; a tenant admin can enable it under Settings → Plugins`);
      }
      if (!definition.rawBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(definition.method)) await this.parseBody(ctx, async () => undefined);
      const params = parse('params', definition.schema?.params, ctx.params);
      const query = parse('query', definition.schema?.query, ctx.query);
      const body = definition.rawBody ? undefined : parse('body', definition.schema?.body, (ctx.request as { body?: unknown }).body ?? {});
      // Made on first use: most handlers never look at the signal, and it is not free.
      let abort: AbortController | null = null;
      const signal = () => {
        if (!abort) {
          abort = new AbortController();
          const controller = abort;
          if (ctx.res.writableFinished || ctx.req.destroyed) controller.abort();
          else ctx.res.once('close', () => controller.abort());
        }
        return abort.signal;
      };
      let sse: SseStream | null = null;
      const result = await definition.handler({
        params, query, body, principal: principal as Principal, tenantId: tenantId as string,
        db: tenantId ? scopeToTenant(this.options.knex, tenantId) : (undefined as never),
        requestId: ctx.state.requestId as string, ip: ctx.ip, headers: ctx.headers, stream: ctx.req,
        get signal() {
          return signal();
        },
        sse: () => (sse ??= openSse(ctx, signal())),
      });
      if (sse) return;
      if (isRawReply(result)) {
        ctx.status = result.status ?? definition.status ?? 200;
        for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
        ctx.body = result.body;
        return;
      }
      if (result === undefined) {
        ctx.status = definition.status ?? 204;
        return;
      }
      if (this.options.validateResponses && definition.schema?.response) {
        const checked = definition.schema.response.safeParse(result);
        if (!checked.success) throw new Error(`${definition.method} ${definition.path} answered outside its response schema: ${checked.error.message}`);
      }
      ctx.status = definition.status ?? 200;
      ctx.body = result;
    };
  }
}

/** A route's token scopes: as declared, else `read` for GET and `write` for the rest. */
function scopesOf(definition: Pick<RouteDefinition<unknown, unknown, unknown, unknown>, 'scope' | 'method'>): readonly TokenScope[] {
  const declared = definition.scope ?? (definition.method === 'GET' ? 'read' : 'write');
  return typeof declared === 'string' ? [declared] : declared;
}

function specificity(path: string): number {
  return path.split('/').reduce((score, segment) => score * 2 + (segment.startsWith(':') ? 0 : 1), 1);
}

/**
 * Validates one part of the request against the route's schema, then refuses any string in it that PostgreSQL
 * could not store (NUL, lone surrogates — in values and keys, however deep): every route gets that check from
 * the kernel, so a plugin's free-form JSON (settings, params, fields) never fails in the database.
 */
function parse<T>(where: 'body' | 'query' | 'params', schema: ZodType<T> | undefined, value: unknown): T {
  let data = value as T;
  if (schema) {
    const result = schema.safeParse(value);
    if (!result.success) throw zodProblem(where, result.error);
    data = result.data;
  }
  const unstorable = findUnstorableText(data);
  if (unstorable) throw unstorableProblem(where, unstorable);
  return data;
}

/** RBAC: the role must hold the permission; an API token must also carry (one of) the route's scopes. */
export function authorize(principal: Principal, permission: string, scopes: readonly TokenScope[]): void {
  if (permission !== 'authenticated' && !principal.permissions.has(permission)) {
    throw new ProblemError(403, 'Forbidden', `your role does not have the ${permission} permission`);
  }
  if (principal.tokenScopes && !scopes.some((scope) => principal.tokenScopes!.has(scope))) {
    throw new ProblemError(403, 'Forbidden', `this API token lacks the ${scopes.join(' or ')} scope`);
  }
}

function openSse(ctx: Context, signal: AbortSignal): SseStream {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setKeepAlive(true);
  ctx.status = 200;
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.body = stream;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    stream.end();
  };
  // A comment every 15 s keeps proxies from closing an idle stream.
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), 15_000);
  signal.addEventListener('abort', close);
  stream.write(': connected\n\n');
  return {
    send(event, data, id) {
      if (closed) return;
      stream.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      if (!closed) stream.write(`: ${text}\n\n`);
    },
    close,
    get closed() {
      return closed;
    },
  };
}
