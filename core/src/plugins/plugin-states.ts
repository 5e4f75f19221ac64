import type { Knex } from 'knex';

/** Per-tenant enablement of plugins; a plugin is enabled unless a tenant admin turned it off. */
export class PluginStates {
  private cache = new Map<string, { disabled: Set<string>; until: number }>();

  constructor(private readonly knex: Knex) {}

  async disabledFor(tenantId: string): Promise<Set<string>> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.disabled;
    const rows = await this.knex('plugin_states').where({ tenant_id: tenantId, enabled: false }).select('plugin_id');
    const disabled = new Set(rows.map((row) => row.plugin_id as string));
    this.cache.set(tenantId, { disabled, until: Date.now() + 2000 });
    return disabled;
  }

  async isEnabled(pluginId: string, tenantId: string): Promise<boolean> {
    return !(await this.disabledFor(tenantId)).has(pluginId);
  }

  async set(tenantId: string, pluginId: string, enabled: boolean, userId: string): Promise<void> {
    await this.knex('plugin_states')
      .insert({ tenant_id: tenantId, plugin_id: pluginId, enabled, updated_by: userId, updated_at: new Date() })
      .onConflict(['tenant_id', 'plugin_id'])
      .merge();
    this.cache.delete(tenantId);
  }
}
