import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  scopeToTenant, type AuditWriter, type KernelHooks, type LiveBus, type PluginContext, type RouteDefinition, type Scheduler, type Secrets,
} from '@oneservice/plugin-sdk';
import type { RouteRegistry } from '../http/route-registry.js';
import type { PortRegistry } from '../platform/port-registry.js';
import type { LoadedPlugin } from './plugin-host.js';
import { readPluginSettings } from './plugin-settings.js';

export interface ContextServices {
  knex: Knex;
  routes: RouteRegistry;
  ports: PortRegistry;
  hooks: KernelHooks;
  audit: AuditWriter;
  secrets: Secrets;
  live: LiveBus;
  scheduler: Scheduler;
  logger: Logger;
  metrics: Registry;
  dataDir: string;
  publicUrl: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A frozen object whose unknown members throw instead of reading as undefined, so a plugin written
 * against an older or imagined ctx (`ctx.db.knex`, `ctx.config.env`) fails where it reaches, naming it.
 */
function strict<T extends object>(value: T, what: string, hint: (key: string) => string = () => ''): T {
  return new Proxy(Object.freeze(value), {
    get(target, key, receiver) {
      // Symbols, `then` and `toJSON` are probed by the runtime (inspection, awaiting, JSON and log
      // serialisation), not asked for by plugin code.
      if (typeof key === 'symbol' || key === 'then' || key === 'toJSON' || key in target) return Reflect.get(target, key, receiver);
      throw new Error(`${what}.${key} does not exist${hint(key)}`);
    },
  });
}

/** Builds the one `ctx` a plugin gets: every door checked against its manifest. */
export function createPluginContext(plugin: LoadedPlugin, services: ContextServices): PluginContext {
  const { manifest } = plugin;
  const id = manifest.id;
  const logger = services.logger.child({ plugin: id });
  const required = new Set(manifest.requires.filter((r) => r.startsWith('port:')).map((r) => r.slice(5)));
  const provided = new Set(manifest.provides);
  const doors = new Set<string>();

  const settings = readPluginSettings(manifest, services.env);
  const config = strict({ dataDir: services.dataDir, publicUrl: services.publicUrl, settings: strict(settings, `plugin ${id}: ctx.config.settings`, () => ', as its manifest declares no such setting under "config"') },
    `plugin ${id}: ctx.config`, (key) => (key === 'env' ? ': a plugin reads only the settings its manifest declares (ctx.config.settings)' : ''));
  const db = strict({
    forTenant: (tenantId: string) => scopeToTenant(services.knex, tenantId),
    platform(reason: string): Knex {
      if (!reason?.trim()) throw new Error(`plugin ${id}: ctx.db.platform needs the reason for unscoped access`);
      if (!doors.has(reason)) {
        doors.add(reason);
        logger.info({ reason }, 'platform-wide database access');
      }
      return services.knex;
    },
  }, `plugin ${id}: ctx.db`, (key) => (key === 'knex' ? ': tenant data is reached through ctx.db.forTenant(tenantId); a platform-wide job names itself with ctx.db.platform(reason)' : ''));

  return strict({
    plugin: Object.freeze({ id, version: manifest.version, dir: plugin.dir, manifest }),
    route: (definition) => services.routes.add(id, definition as RouteDefinition),
    db,
    provide(port, provider) {
      if (!provided.has(port.id)) throw new Error(`plugin ${id} provides port ${port.id}, which its manifest does not list in "provides"`);
      services.ports.provide(id, port.id, provider);
    },
    port(port, tenantId) {
      if (!required.has(port.id)) return Promise.reject(new Error(`plugin ${id} uses port ${port.id}, which its manifest does not list in "requires" (as "port:${port.id}")`));
      return services.ports.resolve(port, tenantId);
    },
    hooks: services.hooks, audit: services.audit, secrets: services.secrets, live: services.live, scheduler: services.scheduler,
    logger, config, metrics: services.metrics,
  } satisfies PluginContext, `plugin ${id}: ctx`);
}
