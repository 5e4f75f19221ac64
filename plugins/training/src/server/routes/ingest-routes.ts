import type { PluginContext } from '@oneservice/plugin-sdk';
import { ingestAnswerSchema, ingestBatchSchema } from '../ingest-schema.js';
import type { IngestService } from '../ingest-service.js';

export function registerIngestRoutes(ctx: PluginContext, ingest: IngestService): void {
  ctx.route({
    method: 'POST',
    path: '/ingest/batch',
    permission: 'runs:ingest',
    scope: 'ingest',
    status: 202,
    summary: 'Ingest a batch of run data from a training script',
    description: 'Creates or resumes the run named by run.client_run_id and stores metrics, logs, events and spans. Idempotent by batch_id. See docs/ingest-protocol.md.',
    tags: ['training'],
    schema: { body: ingestBatchSchema, response: ingestAnswerSchema },
    handler: ({ db, body, principal }) => ingest.ingest(db, body, { userId: principal.userId, email: principal.email }),
  });
}
