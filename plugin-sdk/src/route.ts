import type { Readable } from 'node:stream';
import type { ZodType } from 'zod';
import type { Role } from './manifest.js';
import type { TenantDb } from './tenant-db.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type TokenScope = 'read' | 'write' | 'ingest' | 'export';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'ingest', 'export'];

/** Who is calling: always resolved from the credential, never from the request body. */
export interface Principal {
  userId: string;
  email: string;
  role: Role | null;
  isSuperAdmin: boolean;
  /** The tenant this request acts in (a super-admin names it with X-OneService-Tenant). */
  tenantId: string | null;
  permissions: ReadonlySet<string>;
  /** Present when authenticated by API token: what the token may do (scopes ∩ role). */
  tokenScopes: ReadonlySet<TokenScope> | null;
  tokenId: string | null;
}

export interface RouteRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  /** Tenant id of the request; routes with `tenant: 'required'` (the default) always have one. */
  tenantId: string;
  /** Data access already bound to the request's tenant. */
  db: TenantDb;
  requestId: string;
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body, for routes declared with `rawBody: true` (uploads). */
  stream: Readable;
  /** Aborted when the client goes away (for SSE and long polls). */
  signal: AbortSignal;
  /** Turns the response into a Server-Sent Events stream. */
  sse(): SseStream;
}

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  comment(text: string): void;
  close(): void;
  readonly closed: boolean;
}

/** Return this from a handler to control status, headers or to stream a body. */
export interface RawReply {
  kind: 'raw';
  status?: number;
  headers?: Record<string, string>;
  body: Readable | Buffer | string;
}
export const rawReply = (reply: Omit<RawReply, 'kind'>): RawReply => ({ kind: 'raw', ...reply });

export interface RouteSchemas<P, Q, B, R> {
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  response?: ZodType<R>;
}

export interface RouteDefinition<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Path under /api/v1, koa-router style (`/runs/:id`). */
  path: string;
  /** Required permission, or `public` (no credential) / `authenticated` (any signed-in caller). */
  permission: string | 'public' | 'authenticated';
  /** API-token scope needed (any one of a list); by default `read` for GET and `write` otherwise. */
  scope?: TokenScope | readonly TokenScope[];
  /** `required` (default): the request must act in a tenant. `optional`: platform-level routes. */
  tenant?: 'required' | 'optional';
  summary: string;
  description?: string;
  tags?: string[];
  /** HTTP status of a successful answer (default 200; 201 for creations, 204 for no content). */
  status?: number;
  rawBody?: boolean;
  /** Content type of the success answer when it is not JSON (documents raw replies in OpenAPI). */
  produces?: string;
  schema?: RouteSchemas<P, Q, B, R>;
  handler(request: RouteRequest<P, Q, B>): Promise<R | RawReply | undefined | void>;
}
