import type { Knex } from 'knex';
import type { PluginContext } from './context.js';
import type { Role } from './manifest.js';

export interface PluginMigration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export interface PluginDefinition {
  /** Migrations of the plugin's own tables, applied in key order before setup. */
  migrations?: Record<string, PluginMigration>;
  /** Register routes, ports and hook taps. Registries are sealed once every plugin's setup is done. */
  setup(ctx: PluginContext): void | Promise<void>;
  /** Start background work; routes are served after every start resolved. */
  start?(ctx: PluginContext): void | Promise<void>;
  /**
   * Demo mode only (ONESERVICE_DEMO, first start on an empty database): add this plugin's demo data
   * to the demo tenants, after every plugin started.
   */
  seedDemo?(ctx: PluginContext, tenants: DemoTenant[]): Promise<void>;
  /** Called in reverse dependency order on shutdown, after in-flight requests drained. */
  stop?(): void | Promise<void>;
}

export interface DemoTenant {
  id: string;
  slug: string;
  /** Demo user id per role, e.g. users.ML_ENGINEER. */
  users: Record<Role, string>;
}

export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}
