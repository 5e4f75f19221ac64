import { scopeToTenant } from '@oneservice/plugin-sdk';
import { createTestDatabase, describeRunMetricsContract } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { runMetricPoints } from '../src/server/migrations/001-run-metric-points.js';
import { runMetricTiles } from '../src/server/migrations/002-run-metric-tiles.js';
import { finerTimeTiles } from '../src/server/migrations/003-finer-time-tiles.js';
import { runMetricBatches } from '../src/server/migrations/004-run-metric-batches.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';

for (const method of ['copy', 'unnest'] as const) {
  describeRunMetricsContract(`run-metrics-postgres (${method} writes)`, async () => {
    const database = await createTestDatabase();
    for (const migration of [runMetricPoints, runMetricTiles, finerTimeTiles, runMetricBatches]) await migration.up(database.knex);
    return {
      tenantA: new PostgresRunMetrics(scopeToTenant(database.knex, randomUUID()), method),
      tenantB: new PostgresRunMetrics(scopeToTenant(database.knex, randomUUID()), method),
      cleanup: () => database.drop(),
    };
  });
}
