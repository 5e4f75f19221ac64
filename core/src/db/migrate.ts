import type { Knex } from 'knex';
import type { PluginMigration } from '@oneservice/plugin-sdk';
import * as kernel001 from './migrations/001-kernel.js';

export const kernelMigrations: Record<string, PluginMigration> = { '001-kernel': kernel001 };

/**
 * Applies one owner's migrations (the kernel's or a plugin's) with its own bookkeeping table, so
 * plugins never collide on migration names and can be added or removed independently.
 */
export async function migrate(knex: Knex, owner: string, migrations: Record<string, PluginMigration>): Promise<string[]> {
  const names = Object.keys(migrations).sort();
  const source: Knex.MigrationSource<string> = {
    getMigrations: async () => names,
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name] as Knex.Migration,
  };
  const table = `migrations_${owner.replace(/[^a-z0-9]/gi, '_')}`;
  const [, applied] = (await knex.migrate.latest({ migrationSource: source, tableName: table })) as [number, string[]];
  return applied;
}
