import { definePlugin } from '@oneservice/plugin-sdk';
import { seedTrainingDemo } from './demo/seed-demo.js';
import { IngestService } from './ingest-service.js';
import { trainingTables } from './migrations/001-training-tables.js';
import { runHeaderRevision } from './migrations/002-run-header-revision.js';
import { runDeleting } from './migrations/003-run-deleting.js';
import { runCreator } from './migrations/004-run-creator.js';
import { registerArtifactRoutes } from './routes/artifact-routes.js';
import { registerIngestRoutes } from './routes/ingest-routes.js';
import { registerMetricRoutes } from './routes/metric-routes.js';
import { registerObservationRoutes } from './routes/observation-routes.js';
import { registerProjectRoutes } from './routes/project-routes.js';
import { registerReplayRoutes } from './routes/replay-routes.js';
import { registerRunRoutes } from './routes/run-routes.js';
import { RunService } from './run-service.js';

export default definePlugin({
  migrations: { '001-training-tables': trainingTables, '002-run-header-revision': runHeaderRevision, '003-run-deleting': runDeleting, '004-run-creator': runCreator },
  setup(ctx) {
    // Declared in plugin.json (`config`), parsed and bounded by the kernel.
    const ingest = new IngestService(ctx, { maxItems: ctx.config.settings.INGEST_MAX_ITEMS as number });
    const runs = new RunService(ctx);
    registerIngestRoutes(ctx, ingest);
    registerProjectRoutes(ctx);
    registerRunRoutes(ctx, runs);
    registerMetricRoutes(ctx, runs);
    registerObservationRoutes(ctx);
    registerReplayRoutes(ctx);
    registerArtifactRoutes(ctx);
  },
  seedDemo: (ctx, tenants) => seedTrainingDemo(ctx, tenants),
});
