import knexFactory, { type Knex } from 'knex';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createKernelHooks, type RouteDefinition } from '@oneservice/plugin-sdk';
import type { Config } from './config.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { Authenticator } from './auth/authenticator.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { createPasswordHasher } from './auth/passwords.js';
import { RefreshTokens } from './auth/refresh-tokens.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { kernelMigrations, migrate } from './db/migrate.js';
import { createApp } from './http/app.js';
import { answerClientErrors } from './http/problem.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { RouteRegistry } from './http/route-registry.js';
import { createLogger } from './logger.js';
import { createAuditWriter } from './platform/audit.js';
import { PostgresLiveBus } from './platform/live-bus.js';
import { createPlatformMetrics } from './platform/metrics.js';
import { PortRegistry } from './platform/port-registry.js';
import { LeasedScheduler } from './platform/scheduler.js';
import { createSecrets, deriveKey, loadRootSecret } from './platform/secrets.js';
import { CORE_VERSION, discoverPlugins } from './plugins/discovery.js';
import { orderPlugins } from './plugins/ordering.js';
import { createPluginContext } from './plugins/plugin-context.js';
import { importPluginServer, runStep, withTimeout, type LoadedPlugin } from './plugins/plugin-host.js';
import { PluginStates } from './plugins/plugin-states.js';
import { kernelPermissions } from './rbac/kernel-permissions.js';
import { PermissionRegistry } from './rbac/permission-registry.js';
import { registerApiTokenRoutes } from './routes/api-tokens.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerDatasourceRoutes } from './routes/datasources.js';
import { registerMeRoutes } from './routes/me.js';
import { registerPluginRoutes } from './routes/plugins.js';
import type { KernelServices } from './routes/services.js';
import { registerTenantRoutes } from './routes/tenants.js';
import { registerUserRoutes } from './routes/users.js';

/** The repository root: plugins/ and frontend-shell/ are found from here. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KernelOptions {
  /** Only these plugin ids are loaded (tests); default: every discovered plugin not disabled. */
  plugins?: string[];
  /** Extra plugin folders (tests' fixtures). */
  pluginDirs?: string[];
  logger?: Logger;
  validateResponses?: boolean;
}

export interface Kernel {
  readonly config: Config;
  readonly knex: Knex;
  readonly services: KernelServices;
  readonly plugins: LoadedPlugin[];
  /** Every declared route (tests read the OpenAPI inputs from it). */
  readonly routes: RouteRegistry;
  /** Listens on config.HOST:PORT; resolves with the base URL. */
  listen(): Promise<string>;
  /** Drains in-flight requests, stops plugins in reverse order, closes the database. */
  stop(): Promise<void>;
}

/**
 * Boots the kernel in DESIGN §2's order — config, services, database, migrations, plugins, http —
 * each step failing loudly with its reason. Services are wired by hand (ADR 0009): each plugin's scope
 * is the `ctx` createPluginContext builds for it.
 */
export async function createKernel(config: Config, options: KernelOptions = {}): Promise<Kernel> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT, runtimeDir: config.EMBEDDED_PG_RUNTIME_DIR, logger });
    databaseUrl = embedded.url;
  }
  const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: config.DATABASE_POOL_MAX } });
  try {
    await knex.raw('select 1');
    await migrate(knex, 'kernel', kernelMigrations);
  } catch (error) {
    await knex.destroy();
    await embedded?.stop();
    throw new Error(`database ${embedded ? '(embedded PostgreSQL)' : 'DATABASE_URL'} is not usable: ${(error as Error).message}`, { cause: error });
  }

  const rootSecret = await loadRootSecret(knex, config.ONESERVICE_SECRET_KEY);
  const secrets = createSecrets(deriveKey(rootSecret, 'seal'));
  const accessTokens = createAccessTokens(deriveKey(rootSecret, 'jwt'), config.ACCESS_TOKEN_TTL_SECONDS);
  const hooks = createKernelHooks();
  const permissions = new PermissionRegistry();
  permissions.declare('kernel', kernelPermissions);
  const metrics = createPlatformMetrics();
  const authenticator = new Authenticator(knex, accessTokens, permissions);
  const pluginStates = new PluginStates(knex);
  const live = new PostgresLiveBus(databaseUrl, logger);
  const ports = new PortRegistry(knex, secrets, live);
  const scheduler = new LeasedScheduler(knex, logger);
  const audit = createAuditWriter(knex, hooks, logger);
  const routes = new RouteRegistry({
    knex, authenticator, bodyLimitBytes: config.BODY_LIMIT_BYTES, validateResponses: options.validateResponses ?? false,
    isEnabledFor: (owner, tenantId) => pluginStates.isEnabled(owner, tenantId),
    hasPermission: (id) => permissions.has(id),
  });
  let plugins: LoadedPlugin[] = [];
  const timeout = config.PLUGIN_TIMEOUT_MS;
  const services: KernelServices = {
    config, knex, authenticator, accessTokens, audit, hooks, permissions, ports, secrets, pluginStates,
    passwords: createPasswordHasher(config.ARGON2_MEMORY_KIB, config.ARGON2_TIME_COST),
    refreshTokens: new RefreshTokens(knex, config.REFRESH_TOKEN_TTL_SECONDS),
    throttle: new LoginThrottle(knex, { maxFailuresPerAccount: config.LOGIN_MAX_FAILURES, maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_IP, lockSeconds: config.LOGIN_LOCK_SECONDS }),
    plugins: () => plugins,
    usableScopes: (held) => routes.usableScopes(held),
  };

  const kernelRoute = <P, Q, B, R>(definition: RouteDefinition<P, Q, B, R>) => routes.add('kernel', definition);
  for (const register of [registerAuthRoutes, registerApiTokenRoutes, registerMeRoutes, registerTenantRoutes, registerUserRoutes, registerAuditRoutes, registerPluginRoutes, registerDatasourceRoutes]) {
    register(kernelRoute, services);
  }

  try {
    // Plugins: discover (manifests only), order, import, migrate, setup, seal, start.
    const discovery = discoverPlugins(ROOT_DIR, [...config.pluginPaths, ...(options.pluginDirs ?? [])]);
    // An unreadable manifest stops boot, unless a test chose other plugins by id.
    const fatal = discovery.errors.filter((e) => !options.plugins || options.plugins.includes(path.basename(e.dir)));
    if (fatal.length) throw new Error(fatal.map((e) => e.error.message).join('\n'));
    const discovered = discovery.plugins.filter((p) =>
      options.plugins ? options.plugins.includes(p.manifest.id) : !config.disabledPlugins.has(p.manifest.id),
    );
    if (options.plugins) {
      const missing = options.plugins.filter((id) => !discovered.some((p) => p.manifest.id === id));
      if (missing.length) throw new Error(`plugins not found: ${missing.join(', ')}`);
    }
    plugins = orderPlugins(discovered).map((p) => ({ ...p, definition: null, state: 'discovered', error: null, context: null }));
    for (const plugin of plugins) permissions.declare(plugin.manifest.id, plugin.manifest.permissions);
    permissions.seal();

    // Plugins get the bus's tenant-scoped half only; the kernel's cross-tenant listeners stay here.
    const pluginLive = { publish: live.publish.bind(live), subscribe: live.subscribe.bind(live) };
    const contextServices = {
      knex, routes, ports, hooks, audit, secrets, live: pluginLive, scheduler, logger,
      metrics: metrics.registry, dataDir: config.dataDir, publicUrl: config.publicUrl, env: config.env,
    };
    const forget = (plugin: LoadedPlugin) => {
      routes.removeOwner(plugin.manifest.id);
      ports.removeOwner(plugin.manifest.id);
    };

    await runStep(plugins, 'load', async (plugin) => {
      plugin.definition = await importPluginServer(plugin, config.pluginSource);
      if (plugin.definition?.migrations) await withTimeout(migrate(knex, plugin.manifest.id, plugin.definition.migrations), timeout * 4, `${plugin.manifest.id} migrations`);
    }, forget, logger);
    await runStep(plugins, 'setup', async (plugin) => {
      plugin.context = createPluginContext(plugin, contextServices);
      if (plugin.definition) await withTimeout(plugin.definition.setup(plugin.context), timeout, `${plugin.manifest.id} setup`);
      const provided = new Set(ports.findByOwner(plugin.manifest.id).map((p) => p.port));
      const missing = plugin.manifest.provides.filter((port) => !provided.has(port));
      if (missing.length) throw new Error(`its manifest lists ${missing.join(', ')} in "provides", but setup registered no provider of it (ctx.provide)`);
      plugin.state = 'setup';
    }, forget, logger);
    routes.seal();
    ports.seal();
    checkMenuPermissions(plugins, permissions);
    await live.start();
    await runStep(plugins, 'start', async (plugin) => {
      if (plugin.definition?.start) await withTimeout(plugin.definition.start(plugin.context!), timeout, `${plugin.manifest.id} start`);
      plugin.state = 'started';
    }, forget, logger);
    for (const plugin of plugins) metrics.pluginState.set({ plugin: plugin.manifest.id, state: plugin.state }, 1);
  } catch (error) {
    scheduler.stop();
    await live.stop();
    await knex.destroy();
    await embedded?.stop();
    throw error;
  }

  const router = routes.buildRouter();
  let inFlight = 0;
  let drained: (() => void) | null = null;
  let ready = false;
  const pluginInfo = plugins.map((p) => ({ id: p.manifest.id, displayName: p.manifest.displayName }));
  let openApiCache: unknown = null;
  const app = createApp({
    logger, metrics, router,
    openApi: () => (openApiCache ??= buildOpenApiDocument(routes.routes, CORE_VERSION, pluginInfo)),
    shellDir: path.join(ROOT_DIR, 'frontend-shell', 'dist'),
    pluginModule: (pluginId) => {
      const plugin = plugins.find((p) => p.manifest.id === pluginId && p.state === 'started');
      const entry = plugin?.manifest.contributes.frontend?.entry;
      const file = plugin && entry ? path.join(plugin.dir, entry) : null;
      return file && existsSync(file) ? file : null;
    },
    ready: () => ready,
    onRequestStart: () => {
      inFlight += 1;
    },
    onRequestEnd: () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    },
  });
  const poolGauge = setInterval(() => {
    const pool = (knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
    if (!pool) return;
    metrics.dbPool.set({ state: 'used' }, pool.numUsed());
    metrics.dbPool.set({ state: 'free' }, pool.numFree());
    metrics.dbPool.set({ state: 'pending' }, pool.numPendingAcquires());
  }, 5000);
  poolGauge.unref();

  let server: Server | null = null;
  const kernel: Kernel = {
    config, knex, services, plugins, routes,
    async listen() {
      server = await new Promise<Server>((resolve, reject) => {
        const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
        listening.once('error', reject);
      });
      server.keepAliveTimeout = 65_000;
      answerClientErrors(server);
      ready = true;
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      return `http://${config.HOST}:${port}`;
    },
    async stop() {
      ready = false;
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        // In-flight requests finish (bounded); idle keep-alive sockets and open streams are then closed.
        if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_MS))]);
        server.closeAllConnections();
        await closing;
      }
      clearInterval(poolGauge);
      scheduler.stop();
      for (const plugin of [...plugins].reverse()) {
        if (plugin.state !== 'started' || !plugin.definition?.stop) continue;
        try {
          await withTimeout(plugin.definition.stop(), timeout, `${plugin.manifest.id} stop`);
          plugin.state = 'stopped';
        } catch (error) {
          logger.error({ err: error, plugin: plugin.manifest.id }, 'plugin stop failed');
        }
      }
      await live.stop();
      await knex.destroy();
      await embedded?.stop();
    },
  };
  return kernel;
}


/** A menu entry naming a permission nobody declared is a boot error naming both. */
function checkMenuPermissions(plugins: LoadedPlugin[], permissions: PermissionRegistry): void {
  for (const plugin of plugins) {
    const menus = plugin.manifest.contributes.menus;
    for (const entry of [...(menus?.primary ?? []), ...(menus?.secondary ?? [])]) {
      if (entry.permission && !permissions.has(entry.permission)) {
        throw new Error(`plugin ${plugin.manifest.id}: menu ${entry.id} needs permission ${entry.permission}, which nobody declares`);
      }
    }
  }
}
