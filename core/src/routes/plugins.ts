import { z } from 'zod';
import { ProblemError, notFound } from '@oneservice/plugin-sdk';
import type { DeclareRoute, KernelServices } from './services.js';

const pluginSchema = z.object({
  id: z.string(), displayName: z.string(), version: z.string(), description: z.string().nullable(), kinds: z.array(z.string()),
  state: z.string(), error: z.string().nullable(), enabled: z.boolean(), provides: z.array(z.string()), settingsSchema: z.record(z.string(), z.unknown()).nullable(),
});

export function registerPluginRoutes(route: DeclareRoute, { plugins, pluginStates, audit }: KernelServices): void {
  route({
    method: 'GET', path: '/plugins', permission: 'plugins:read', tags: ['plugins'],
    summary: 'Installed plugins, their state, and whether this tenant enabled them',
    schema: { response: z.object({ items: z.array(pluginSchema) }) },
    async handler({ tenantId }) {
      const disabled = await pluginStates.disabledFor(tenantId);
      return {
        items: plugins().map((p) => ({
          id: p.manifest.id, displayName: p.manifest.displayName, version: p.manifest.version, description: p.manifest.description ?? null,
          kinds: p.manifest.kinds, state: p.state, error: p.error, enabled: !disabled.has(p.manifest.id), provides: p.manifest.provides,
          settingsSchema: (p.manifest.contributes.settings as Record<string, unknown> | undefined) ?? null,
        })),
      };
    },
  });

  route({
    method: 'PUT', path: '/plugins/:id', permission: 'plugins:admin', tags: ['plugins'], status: 204,
    summary: 'Enable or disable a plugin for this tenant',
    schema: { params: z.object({ id: z.string().min(1).max(64) }), body: z.object({ enabled: z.boolean() }) },
    async handler({ params, body, tenantId, principal, ip }) {
      const plugin = plugins().find((p) => p.manifest.id === params.id);
      if (!plugin) throw notFound(`plugin ${params.id}`);
      // Another running plugin may need this one; turning it off would break that plugin's pages.
      if (!body.enabled) {
        const dependants = plugins().filter((p) => p.manifest.requires.includes(params.id)).map((p) => p.manifest.id);
        if (dependants.length > 0) throw new ProblemError(409, 'Conflict', `${params.id} is required by ${dependants.join(', ')}: disable those first`);
      }
      await pluginStates.set(tenantId, params.id, body.enabled, principal.userId);
      await audit.record({ tenantId, actorId: principal.userId, actorEmail: principal.email, action: body.enabled ? 'plugin.enable' : 'plugin.disable', resource: 'plugin', resourceId: params.id, outcome: 'success', ip });
    },
  });
}
