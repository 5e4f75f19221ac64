import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeRunMetricsContract } from '@oneservice/plugin-sdk/testing/contracts';
import { randomUUID } from 'node:crypto';
import { migrations } from './migrations.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';

describeRunMetricsContract('run-metrics-postgres', async () => {
  const database = await createTestDatabase();
  for (const migration of migrations) await migration.up(database.knex);
  return {
    tenantA: new PostgresRunMetrics(database.knex, randomUUID()),
    tenantB: new PostgresRunMetrics(database.knex, randomUUID()),
    cleanup: () => database.drop(),
  };
});
