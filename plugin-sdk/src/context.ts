import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AuditEntry, KernelHooks } from './hooks.js';
import type { PluginManifest } from './manifest.js';
import type { PortProvider, PortRef } from './ports/index.js';
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

/** A declared setting's value, already parsed to its declared type (undefined: unset, no default). */
export type SettingValue = string | number | boolean | undefined;

export interface PluginConfig {
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly settings: Readonly<Record<string, SettingValue>>;
}

export type LoggerLike = Pick<Logger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export interface PluginContext {
  readonly plugin: { readonly id: string; readonly version: string; readonly dir: string; readonly manifest: PluginManifest };
  /** Declares a route under /api/v1: validation, RBAC guard, tenant scope and OpenAPI entry in one place. */
  route<P, Q, B, R>(definition: RouteDefinition<P, Q, B, R>): void;
  readonly db: PluginDb;
  /** Registers a provider of a port the manifest lists in `provides` (during setup only). */
  provide<T>(port: PortRef<T>, provider: PortProvider<T>): void;
  /**
   * The tenant's bound provider of a port the manifest lists in `requires` as `port:<id>` (its
   * datasource binding, else the default provider). An undeclared port is refused with both names.
   */
  port<T>(port: PortRef<T>, tenantId: string): Promise<T>;
  readonly hooks: KernelHooks;
  readonly audit: AuditWriter;
  readonly logger: LoggerLike;
  /**
   * What a plugin may read of the platform's configuration: the data dir, the public URL, and the
   * settings its manifest declares under `config` (parsed; reading an undeclared name throws).
   */
  readonly config: PluginConfig;
  readonly scheduler: Scheduler;
  readonly secrets: Secrets;
  readonly live: LiveBus;
  /** prom-client registry shared with /metrics; prefix metric names with `oneservice_<plugin>_`. */
  readonly metrics: Registry;
}
