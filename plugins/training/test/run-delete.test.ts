import { eventsPort, logsPort, objectsPort, runMetricsPort, tracesPort, type PortRef } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomBytes, randomUUID } from 'node:crypto';

// Deleting a run deletes what every port holds of it, through the API, and never leaves a run that
// looks whole while part of its data is gone without saying so.
const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
let k: TestKernel;
let ingestA: string;
let ingestB: string;
let engineerA: string;

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  ingestB = await k.apiToken('b', 'ML_ENGINEER', ['ingest', 'read']);
  engineerA = await k.login('a', 'ML_ENGINEER');
});
afterAll(async () => {
  await k?.stop();
});

const SERVICE = 'deleting';

/** A batch of run `key` with one of each: points (at `steps`), a log line, an event, a span in `traceId`. */
const fullBatch = (key: string, traceId: string, steps = [0, 1, 2]) => ({
  batch_id: randomUUID(),
  run: { client_run_id: key, project: SERVICE },
  metrics: steps.map((step) => ({ name: 'loss', value: 1 / (step + 1), step, ts: T0 + step })),
  logs: [{ ts: T0, level: 'info', message: `log of ${key}` }],
  events: [{ ts: T0, type: 'checkpoint_saved' }],
  spans: [{ trace_id: traceId, span_id: randomBytes(8).toString('hex'), name: 'train_step', start: T0, end: T0 + 10 }],
});
const ingest = (token: string, body: unknown) => k.request('POST', '/api/v1/ingest/batch', { token, body });

/** A run with a bit of everything: points, a log line, an event, a span and an artifact file. */
async function fullRun(token: string, key: string): Promise<{ runId: string; traceId: string }> {
  const traceId = randomBytes(16).toString('hex');
  const answer = await ingest(token, fullBatch(key, traceId));
  expect(answer.status).toBe(202);
  const runId = answer.body.run_id as string;
  const upload = await k.request('POST', `/api/v1/runs/${runId}/artifacts?path=model.onnx&type=model`, {
    token, rawBody: Buffer.from(`weights of ${key}`), headers: { 'content-type': 'application/octet-stream' },
  });
  expect(upload.status).toBe(201);
  return { runId, traceId };
}

/** What each port holds of a run, read through the ports themselves (not their tables). */
async function holdings(tenant: 'a' | 'b', runId: string, traceId: string) {
  const ports = k.kernel.services.ports as { resolve<T>(port: PortRef<T>, tenantId: string): Promise<T> };
  const tenantId = k.tenants[tenant].id;
  const port = <T>(ref: PortRef<T>) => ports.resolve(ref, tenantId);
  return {
    points: (await (await port(runMetricsPort)).summaries([runId])).reduce((n, s) => n + s.count, 0),
    logs: (await (await port(logsPort)).search({ runId })).items.length,
    events: (await (await port(eventsPort)).search({ runId })).items.length,
    spans: (await (await port(tracesPort)).getTrace(traceId))?.length ?? 0,
    artifacts: (await (await port(objectsPort)).list(`runs/${runId}/`)).length,
  };
}
const WHOLE = { points: 3, logs: 1, events: 1, spans: 1, artifacts: 1 };
const NOTHING = { points: 0, logs: 0, events: 0, spans: 0, artifacts: 0 };

describe('DELETE /api/v1/runs/:id', () => {
  it('deletes the run with its points, logs, events, spans and artifacts; other runs and tenants keep theirs; audited', async () => {
    const doomed = await fullRun(ingestA, 'doomed');
    const sibling = await fullRun(ingestA, 'sibling');
    const otherTenant = await fullRun(ingestB, 'doomed');
    expect(await holdings('a', doomed.runId, doomed.traceId)).toEqual(WHOLE);

    const engineerB = await k.login('b', 'ML_ENGINEER');
    expect((await k.request('DELETE', `/api/v1/runs/${doomed.runId}`, { token: engineerB })).status).toBe(404);
    const readonly = await k.login('a', 'READONLY');
    expect((await k.request('DELETE', `/api/v1/runs/${doomed.runId}`, { token: readonly })).status).toBe(403);
    expect(await holdings('a', doomed.runId, doomed.traceId)).toEqual(WHOLE);

    expect((await k.request('DELETE', `/api/v1/runs/${doomed.runId}`, { token: engineerA })).status).toBe(204);
    expect((await k.request('GET', `/api/v1/runs/${doomed.runId}`, { token: engineerA })).status).toBe(404);
    expect(await holdings('a', doomed.runId, doomed.traceId)).toEqual(NOTHING);
    expect(await holdings('a', sibling.runId, sibling.traceId)).toEqual(WHOLE);
    expect(await holdings('b', otherTenant.runId, otherTenant.traceId)).toEqual(WHOLE);

    const audit = await k.kernel.knex('audit_log').where({ action: 'run.delete', resource_id: doomed.runId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ tenant_id: k.tenants.a.id, outcome: 'success', actor_id: k.tenants.a.users.ML_ENGINEER });
    expect(await k.kernel.knex('audit_log').where({ action: 'run.delete', resource_id: otherTenant.runId })).toHaveLength(0);
  });

  it('when one port cannot delete, answers 503 naming what is left, keeps the run, audits the failure; deleting again finishes', async () => {
    const run = await fullRun(ingestA, 'half-deleted');
    // A real failure of the real logs store: its table is briefly out of reach.
    await k.kernel.knex.raw('ALTER TABLE log_records RENAME TO log_records_away');
    let failed;
    try {
      failed = await k.request('DELETE', `/api/v1/runs/${run.runId}`, { token: engineerA });
    } finally {
      await k.kernel.knex.raw('ALTER TABLE log_records_away RENAME TO log_records');
    }
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toContain('application/problem+json');
    expect(failed.body).toMatchObject({ left: ['logs'] });
    expect(failed.body.detail).toContain('delete it again');
    expect((await k.request('GET', `/api/v1/runs/${run.runId}`, { token: engineerA })).status).toBe(200);
    expect(await holdings('a', run.runId, run.traceId)).toEqual({ ...NOTHING, logs: 1 });
    const failure = await k.kernel.knex('audit_log').where({ action: 'run.delete', resource_id: run.runId, outcome: 'failure' }).first();
    expect(failure.details).toMatchObject({ left: ['logs'], client_run_id: 'half-deleted' });
    // Until it is gone, the run takes no more data.
    const refused = await ingest(ingestA, fullBatch('half-deleted', run.traceId, [7]));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('being deleted');
    expect(await holdings('a', run.runId, run.traceId)).toEqual({ ...NOTHING, logs: 1 });

    expect((await k.request('DELETE', `/api/v1/runs/${run.runId}`, { token: engineerA })).status).toBe(204);
    expect((await k.request('GET', `/api/v1/runs/${run.runId}`, { token: engineerA })).status).toBe(404);
    expect(await holdings('a', run.runId, run.traceId)).toEqual(NOTHING);
    expect(await k.kernel.knex('audit_log').where({ action: 'run.delete', resource_id: run.runId }).select('outcome').orderBy('id')).toEqual([{ outcome: 'failure' }, { outcome: 'success' }]);
  });

  it('a batch being stored while its run is deleted removes what it wrote and answers 409', async () => {
    const run = await fullRun(ingestA, 'deleted-mid-batch');
    // Hold both the batch's log write and the deletion's log delete at the logs table, so the batch
    // is recorded before the deletion starts and finishes storing after the deletion swept the ports.
    const waiting = async (count: number) => {
      for (let tries = 0; tries < 500; tries++) {
        const { rows } = await k.kernel.knex.raw<{ rows: { n: number }[] }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'log_records'::regclass
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        if ((rows[0]?.n ?? 0) >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`never saw ${count} statements waiting for log_records`);
    };
    const lock = await k.kernel.knex.transaction();
    let ingesting: ReturnType<typeof ingest> | undefined;
    let deleting: ReturnType<typeof ingest> | undefined;
    try {
      await lock.raw('LOCK TABLE log_records IN EXCLUSIVE MODE');
      ingesting = ingest(ingestA, fullBatch('deleted-mid-batch', run.traceId, [3, 4]));
      await waiting(1);
      deleting = k.request('DELETE', `/api/v1/runs/${run.runId}`, { token: engineerA });
      await waiting(2);
    } finally {
      await lock.commit();
    }
    const [stored, deleted] = await Promise.all([ingesting, deleting]);
    expect(deleted?.status).toBe(204);
    expect(stored?.status).toBe(409);
    expect(stored?.body.detail).toContain('was deleted while');
    expect(await holdings('a', run.runId, run.traceId)).toEqual(NOTHING);
  });
});
