import { scopeToTenant } from '@oneservice/plugin-sdk';
import { createTestDatabase, describeRunMetricsContract } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { migrations } from './migrations.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';

describeRunMetricsContract('run-metrics-postgres', async () => {
  const database = await createTestDatabase();
  for (const migration of migrations) await migration.up(database.knex);
  return {
    tenantA: new PostgresRunMetrics(scopeToTenant(database.knex, randomUUID())),
    tenantB: new PostgresRunMetrics(scopeToTenant(database.knex, randomUUID())),
    cleanup: () => database.drop(),
  };
});
