import { definePlugin, runMetricsPort } from '@oneservice/plugin-sdk';
import { runMetricPoints } from './migrations/001-run-metric-points.js';
import { runMetricTiles } from './migrations/002-run-metric-tiles.js';
import { finerTimeTiles } from './migrations/003-finer-time-tiles.js';
import { runMetricBatches } from './migrations/004-run-metric-batches.js';
import { runMetricChunks } from './migrations/005-run-metric-chunks.js';
import { PostgresRunMetrics } from './postgres-run-metrics.js';

export default definePlugin({
  migrations: {
    '001-run-metric-points': runMetricPoints,
    '002-run-metric-tiles': runMetricTiles,
    '003-finer-time-tiles': finerTimeTiles,
    '004-run-metric-batches': runMetricBatches,
    '005-run-metric-chunks': runMetricChunks,
  },
  setup(ctx) {
    // A platform-wide data plane: COPY needs the connection itself; every row and statement names the tenant.
    const knex = ctx.db.platform('run-metrics store: COPY into tables that hold every tenant\'s points; each statement names tenant_id');
    ctx.provide(runMetricsPort, {
      id: 'postgres',
      isDefault: true,
      create: ({ tenantId }) => new PostgresRunMetrics(knex, tenantId),
    });
  },
});

export { PostgresRunMetrics } from './postgres-run-metrics.js';
export { finerTimeTiles, runMetricBatches, runMetricChunks, runMetricPoints, runMetricTiles };
