import { z } from 'zod';
import { ids, ProblemError, conflict, notFound } from '@oneservice/plugin-sdk';
import { zodProblem } from '../http/problem.js';
import type { DeclareRoute, KernelServices } from './services.js';

const bindingSchema = z.object({
  id: z.string().uuid(), plugin_id: z.string(), port: z.string().nullable(), provider: z.string().nullable(), name: z.string(),
  settings: z.record(z.string(), z.unknown()), created_at: z.string(), updated_at: z.string(),
});
const settings = z.record(z.string(), z.unknown());
const SECRET_KEYS = /pass|secret|token|key|credential/i;

export function registerDatasourceRoutes(route: DeclareRoute, { secrets, plugins, ports, audit }: KernelServices): void {
  // Secrets are decrypted on the server only; what goes back to a browser is masked.
  const present = (row: Record<string, any>) => {
    const open = JSON.parse(secrets.open(row.settings_sealed)) as Record<string, unknown>;
    const masked = Object.fromEntries(Object.entries(open).map(([k, v]) => [k, SECRET_KEYS.test(k) && v ? '••••••' : v]));
    return { id: row.id, plugin_id: row.plugin_id, port: row.port, provider: row.provider, name: row.name, settings: masked, created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString() };
  };
  /** Settings are checked against the plugin's JSON Schema (plugin.json contributes.settings). */
  const checkSettings = (pluginId: string, value: Record<string, unknown>) => {
    const schema = settingsSchemaOf(pluginId);
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (!result.success) throw zodProblem('body', result.error, 'settings');
    return result.data as Record<string, unknown>;
  };
  // Built on first use: these routes are declared before the plugins are loaded.
  const settingsSchemas = new Map<string, z.ZodType | null>();
  const settingsSchemaOf = (pluginId: string) => {
    if (!settingsSchemas.has(pluginId)) {
      const declared = plugins().find((p) => p.manifest.id === pluginId)?.manifest.contributes.settings;
      settingsSchemas.set(pluginId, declared ? z.fromJSONSchema(declared as Parameters<typeof z.fromJSONSchema>[0]) : null);
    }
    return settingsSchemas.get(pluginId)!;
  };
  const providerOf = (pluginId: string) => {
    const plugin = plugins().find((p) => p.manifest.id === pluginId);
    if (!plugin) throw new ProblemError(400, 'Bad Request', `plugin ${pluginId} is not installed`, [{ path: 'plugin_id', message: 'unknown plugin' }]);
    if (!plugin.manifest.kinds.includes('datasource')) throw new ProblemError(400, 'Bad Request', `plugin ${pluginId} is not a datasource`, [{ path: 'plugin_id', message: 'not a datasource plugin' }]);
    const provided = ports.findByOwner(pluginId)[0];
    return { plugin, port: provided?.port ?? null, provider: provided?.provider ?? null };
  };

  /** Ports some plugin provides or requires: the registry is open, so this is read, not listed. */
  const portIds = () => [...new Set([
    ...ports.portIds(),
    ...plugins().flatMap((p) => p.manifest.requires.filter((r) => r.startsWith('port:')).map((r) => r.slice(5))),
  ])].sort();

  route({
    method: 'GET', path: '/datasources', permission: 'datasources:read', tags: ['datasources'], summary: 'The tenant’s datasource bindings (secrets masked)',
    schema: { response: z.object({ items: z.array(bindingSchema), ports: z.array(z.object({ port: z.string(), providers: z.array(z.object({ owner: z.string(), id: z.string(), isDefault: z.boolean() })) })) }) },
    async handler({ db }) {
      const rows = await db.table('datasource_bindings').orderBy('name');
      return { items: rows.map(present), ports: portIds().map((port) => ({ port, providers: ports.providersOf(port) })) };
    },
  });

  route({
    method: 'POST', path: '/datasources', permission: 'datasources:admin', tags: ['datasources'], status: 201, summary: 'Bind a datasource plugin to this tenant',
    schema: { body: z.object({ plugin_id: z.string().min(1), name: z.string().trim().min(1).max(200), settings }), response: bindingSchema },
    async handler({ body, db, principal, ip }) {
      const { port, provider } = providerOf(body.plugin_id);
      const settings = checkSettings(body.plugin_id, body.settings);
      if (await db.table('datasource_bindings').where('name', body.name).first()) throw conflict(`a datasource named ${body.name} exists`);
      const [row] = await db.insert('datasource_bindings', { plugin_id: body.plugin_id, port, provider: provider?.id ?? null, name: body.name, settings_sealed: secrets.seal(JSON.stringify(settings)) }).returning('*');
      await ports.bindingsChanged(db.tenantId);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'datasource.create', resource: 'datasource', resourceId: row.id, outcome: 'success', ip, details: { plugin_id: body.plugin_id, name: body.name } });
      return present(row);
    },
  });

  route({
    method: 'PATCH', path: '/datasources/:id', permission: 'datasources:admin', tags: ['datasources'], summary: 'Change a binding (omitted or masked settings keep their value)',
    schema: { params: ids.params(), body: z.object({ name: z.string().trim().min(1).max(200).optional(), settings: settings.optional() }), response: bindingSchema },
    async handler({ params, body, db, principal, ip }) {
      const row = await db.table('datasource_bindings').where('id', params.id).first();
      if (!row) throw notFound(`datasource ${params.id}`);
      if (body.name && body.name !== row.name && (await db.table('datasource_bindings').where('name', body.name).first())) throw conflict(`a datasource named ${body.name} exists`);
      const current = JSON.parse(secrets.open(row.settings_sealed)) as Record<string, unknown>;
      const merged = checkSettings(row.plugin_id, { ...current, ...Object.fromEntries(Object.entries(body.settings ?? {}).filter(([, v]) => v !== '••••••')) });
      const [updated] = await db.table('datasource_bindings').where('id', params.id).update({ name: body.name ?? row.name, settings_sealed: secrets.seal(JSON.stringify(merged)), updated_at: new Date() }).returning('*');
      await ports.bindingsChanged(db.tenantId);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'datasource.update', resource: 'datasource', resourceId: params.id, outcome: 'success', ip, details: { changed: Object.keys(body.settings ?? {}) } });
      return present(updated);
    },
  });

  route({
    method: 'DELETE', path: '/datasources/:id', permission: 'datasources:admin', tags: ['datasources'], status: 204, summary: 'Remove a binding (the port falls back to its default provider)',
    schema: { params: ids.params() },
    async handler({ params, db, principal, ip }) {
      if (!(await db.table('datasource_bindings').where('id', params.id).delete())) throw notFound(`datasource ${params.id}`);
      await ports.bindingsChanged(db.tenantId);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'datasource.delete', resource: 'datasource', resourceId: params.id, outcome: 'success', ip });
    },
  });

  route({
    method: 'POST', path: '/datasources/test', permission: 'datasources:admin', tags: ['datasources'], summary: 'Test connection settings without saving them',
    schema: { body: z.object({ plugin_id: z.string().min(1), settings }), response: z.object({ ok: z.boolean(), message: z.string() }) },
    async handler({ body }) {
      const { provider } = providerOf(body.plugin_id);
      const settings = checkSettings(body.plugin_id, body.settings);
      if (!provider?.test) return { ok: true, message: `${body.plugin_id} needs no connection test (it runs inside the platform)` };
      try {
        return await provider.test(settings);
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
  });
}
