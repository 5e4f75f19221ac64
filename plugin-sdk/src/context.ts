import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AuditEntry, KernelHooks } from './hooks.js';
import type { PluginManifest } from './manifest.js';
import type { PortName, PortProvider, Ports } from './ports/index.js';
import type { RouteDefinition } from './route.js';
import type { PluginDb } from './tenant-db.js';

export interface Scheduler {
  /**
   * Runs `task` every `intervalMs` on exactly one platform node (a lease in PostgreSQL decides
   * which), until the platform stops. Errors are logged, never thrown.
   */
  every(name: string, intervalMs: number, task: (signal: AbortSignal) => Promise<void>): void;
}

export interface Secrets {
  /** Encrypts with the platform key (AES-256-GCM); store only the result. */
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Tenant-scoped publish/subscribe across platform nodes (PostgreSQL LISTEN/NOTIFY). */
export interface LiveBus {
  publish(tenantId: string, topic: string, payload: unknown): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(tenantId: string, topic: string, listener: (payload: unknown) => void): Promise<() => Promise<void>>;
}

export interface AuditWriter {
  record(entry: AuditEntry): Promise<void>;
}

export type LoggerLike = Pick<Logger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export interface PluginContext {
  readonly plugin: { readonly id: string; readonly version: string; readonly dir: string; readonly manifest: PluginManifest };
  /** Declares a route under /api/v1: validation, RBAC guard, tenant scope and OpenAPI entry in one place. */
  route<P, Q, B, R>(definition: RouteDefinition<P, Q, B, R>): void;
  readonly db: PluginDb;
  provide<K extends PortName>(port: K, provider: PortProvider<K>): void;
  /** The tenant's bound provider of a port (its datasource binding, else the default provider). */
  port<K extends PortName>(name: K, tenantId: string): Promise<Ports[K]>;
  readonly hooks: KernelHooks;
  readonly audit: AuditWriter;
  readonly logger: LoggerLike;
  /** Platform configuration values a plugin may read (data dir, public URL, limits). */
  readonly config: Readonly<{ dataDir: string; publicUrl: string; env: Readonly<Record<string, string | undefined>> }>;
  readonly scheduler: Scheduler;
  readonly secrets: Secrets;
  readonly live: LiveBus;
  /** prom-client registry shared with /metrics; prefix metric names with `oneservice_<plugin>_`. */
  readonly metrics: Registry;
}
