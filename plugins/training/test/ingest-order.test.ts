import type { KernelHooks, RunStatusChange } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';

// Batches arrive resent, late and concurrently; the run's header must still end up as the newest one
// the client sent, applied once, while every batch's points are stored exactly once.
const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
let k: TestKernel;
let ingestA: string;
let ingestB: string;
let engineerA: string;
const changes: RunStatusChange[] = [];

interface Header {
  revision?: number;
  status?: 'running' | 'finished' | 'failed' | 'killed';
  ended_at?: number;
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
  name?: string;
}

/** A batch of run `key` with its own batch id, the given header fields and one loss point per step. */
const batch = (key: string, header: Header, steps: number[] = []) => ({
  batch_id: randomUUID(),
  run: { client_run_id: key, project: 'ordering', ...header },
  metrics: steps.map((step) => ({ name: 'loss', value: 1 / (step + 1), step, ts: T0 + step })),
});

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  ingestB = await k.apiToken('b', 'ML_ENGINEER', ['ingest', 'read']);
  engineerA = await k.login('a', 'ML_ENGINEER');
  (k.kernel.services.hooks as KernelHooks).runStatusChanged.tapPromise({ name: 'ingest-order-test', stage: 0 }, async (change) => {
    changes.push(change);
  });
});
afterAll(async () => {
  await k?.stop();
});

const ingest = (body: unknown, token = ingestA) => k.request('POST', '/api/v1/ingest/batch', { token, body });
const run = async (id: string) => (await k.request('GET', `/api/v1/runs/${id}`, { token: engineerA })).body;
const lossCount = (view: { metrics: { name: string; count: number }[] }) => view.metrics.find((m) => m.name === 'loss')?.count ?? 0;
const changesOf = (runId: string) => changes.filter((c) => c.runId === runId).map((c) => `${c.previousStatus}->${c.status}`);

describe('run header order', () => {
  it.each([
    ['with revisions', (n: number) => ({ revision: n })],
    ['without revisions (an older client)', () => ({})],
  ])('a resend after finish changes nothing (%s)', async (_name, revision) => {
    const key = `resend-after-finish-${randomUUID().slice(0, 8)}`;
    const first = batch(key, { ...revision(1), status: 'running', params: { lr: 0.1 } }, [0, 1, 2]);
    const started = await ingest(first);
    expect(started.status).toBe(202);
    const runId = started.body.run_id as string;
    const finished = await ingest(batch(key, { ...revision(2), status: 'finished', ended_at: T0 + 5000, params: { lr: 0.2 } }, [3]));
    expect(finished.body).toMatchObject({ run_id: runId, duplicate: false });
    const before = await run(runId);
    expect(before).toMatchObject({ status: 'finished', ended_at: new Date(T0 + 5000).toISOString(), params: { lr: 0.2 } });

    const resent = await ingest(first);
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ run_id: runId, batch_id: first.batch_id, duplicate: true, accepted: { metrics: 0, logs: 0, events: 0, spans: 0 } });
    const after = await run(runId);
    expect(after).toMatchObject({ status: 'finished', ended_at: before.ended_at, params: { lr: 0.2 }, updated_at: before.updated_at });
    expect(lossCount(after)).toBe(4);
    expect(changesOf(runId)).toEqual(['running->finished']);
  });

  it('a late batch with an older revision leaves the header as it is, and its points, logs and events are stored', async () => {
    const key = 'late-older-revision';
    const newer = await ingest(batch(key, { revision: 20, status: 'finished', ended_at: T0 + 9000, name: 'final name', params: { lr: 0.2, optimizer: 'adam' }, tags: { stage: 'done' } }, [10]));
    const runId = newer.body.run_id as string;
    const before = await run(runId);
    const late = {
      ...batch(key, { revision: 10, status: 'running', name: 'early name', params: { lr: 0.1, warmup: 5 }, tags: { stage: 'warming' } }, [0, 1, 2, 3, 4]),
      logs: [{ ts: T0, level: 'info', message: 'late but kept' }],
      events: [{ ts: T0, type: 'checkpoint_saved' }],
    };
    const answer = await ingest(late);
    expect(answer.body).toMatchObject({ run_id: runId, duplicate: false, accepted: { metrics: 5, logs: 1, events: 1 } });
    const after = await run(runId);
    expect(after).toMatchObject({ name: 'final name', status: 'finished', ended_at: before.ended_at, params: { lr: 0.2, optimizer: 'adam' }, tags: { stage: 'done' } });
    expect(after.params).not.toHaveProperty('warmup');
    expect(lossCount(after)).toBe(6);
    const logs = await k.request('GET', `/api/v1/runs/${runId}/logs`, { token: engineerA });
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual(['late but kept']);
    const events = await k.request('GET', `/api/v1/runs/${runId}/events`, { token: engineerA });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['checkpoint_saved']);
    // An equal revision is not newer either.
    await ingest(batch(key, { revision: 20, status: 'failed' }));
    expect((await run(runId)).status).toBe('finished');
    expect(changesOf(runId)).toEqual([]);
  });

  it('a resume with a newer revision after finish runs again, and ends again', async () => {
    const key = 'resume-after-finish';
    const runId = (await ingest(batch(key, { revision: 1, status: 'running' }, [0]))).body.run_id as string;
    await ingest(batch(key, { revision: 2, status: 'finished', ended_at: T0 + 1000 }));
    const resumed = await ingest(batch(key, { revision: 3, status: 'running', params: { resumed_from: 'ckpt-1' } }, [1]));
    expect(resumed.body.duplicate).toBe(false);
    expect(await run(runId)).toMatchObject({ status: 'running', ended_at: null, params: { resumed_from: 'ckpt-1' } });
    await ingest(batch(key, { revision: 4, status: 'failed', ended_at: T0 + 2000 }));
    expect(await run(runId)).toMatchObject({ status: 'failed', ended_at: new Date(T0 + 2000).toISOString() });
    expect(changesOf(runId)).toEqual(['running->finished', 'finished->running', 'running->failed']);
  });

  it('applies concurrent batches in revision order whatever order they arrive in, each stored once and announced once', async () => {
    const key = 'concurrent-revisions';
    const runId = (await ingest(batch(key, { revision: 1, status: 'running', params: { revision: 1 } }, [0]))).body.run_id as string;
    const batches = [2, 3, 4, 5, 6, 7, 8, 9].map((revision) =>
      batch(key, { revision, status: revision === 9 ? 'finished' : 'running', ended_at: revision === 9 ? T0 + 9000 : undefined, params: { revision } } as Header, [revision]),
    );
    // Each batch twice, newest first and oldest first at once: resends race the first sends too.
    const answers = await Promise.all([...batches].reverse().concat(batches).map((body) => ingest(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(202));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(8);
    expect(answers.reduce((n, a) => n + a.body.accepted.metrics, 0)).toBe(8);
    const after = await run(runId);
    expect(after).toMatchObject({ status: 'finished', ended_at: new Date(T0 + 9000).toISOString(), params: { revision: 9 } });
    expect(lossCount(after)).toBe(9);
    expect(changesOf(runId)).toEqual(['running->finished']);
  });

  it('without revisions (an older client) a header saying running does not reopen an ended run; other headers apply', async () => {
    const key = 'legacy-no-reopen';
    const runId = (await ingest(batch(key, { status: 'running', params: { lr: 0.1 } }, [0]))).body.run_id as string;
    await ingest(batch(key, { status: 'finished', ended_at: T0 + 1000, params: { lr: 0.2 } }));
    const late = await ingest(batch(key, { status: 'running', params: { lr: 0.1 } }, [1, 2]));
    expect(late.body).toMatchObject({ duplicate: false, accepted: { metrics: 2 } });
    const after = await run(runId);
    expect(after).toMatchObject({ status: 'finished', ended_at: new Date(T0 + 1000).toISOString(), params: { lr: 0.2 } });
    expect(lossCount(after)).toBe(3);
    // A header that does not try to reopen (tags only; or another final status) still applies.
    await ingest(batch(key, { tags: { reviewed: 'yes' } }));
    expect((await run(runId)).tags).toMatchObject({ reviewed: 'yes' });
    await ingest(batch(key, { status: 'failed', ended_at: T0 + 3000 }));
    expect(await run(runId)).toMatchObject({ status: 'failed', ended_at: new Date(T0 + 3000).toISOString() });
    expect(changesOf(runId)).toEqual(['running->finished', 'finished->failed']);
  });

  it('once a run has a revision, a header without one is not applied (it cannot be placed in order)', async () => {
    const key = 'mixed-clients';
    const runId = (await ingest(batch(key, { revision: 5, status: 'running', name: 'ordered' }))).body.run_id as string;
    const unordered = await ingest(batch(key, { status: 'killed', name: 'unordered' }, [0]));
    expect(unordered.body).toMatchObject({ duplicate: false, accepted: { metrics: 1 } });
    expect(await run(runId)).toMatchObject({ status: 'running', name: 'ordered' });
  });

  it('refuses a revision that is not a whole number from 0 to 2^53 - 1, naming run.revision', async () => {
    for (const revision of [-1, 1.5, '7', 2 ** 53]) {
      const answer = await ingest({ ...batch('bad-revision', {}), run: { client_run_id: 'bad-revision', revision } });
      expect([revision, answer.status]).toEqual([revision, 400]);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain('run.revision');
    }
    expect((await k.request('GET', '/api/v1/runs?q=bad-revision', { token: engineerA })).body.total).toBe(0);
  });
});

describe('batch ids', () => {
  it('answers 409 for a batch id seen for another run, and neither creates nor changes a run', async () => {
    const first = batch('owner-run', { revision: 1, status: 'running' }, [0]);
    const ownerId = (await ingest(first)).body.run_id as string;
    const stolen = { ...first, run: { client_run_id: 'other-run', project: 'ordering', revision: 2, status: 'finished' } };
    const answer = await ingest(stolen);
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect((await k.request('GET', '/api/v1/runs?q=other-run', { token: engineerA })).body.total).toBe(0);
    expect((await run(ownerId)).status).toBe('running');
  });

  it("keeps batch ids per tenant: tenant B's batch with tenant A's id makes B's own run and leaves A's alone", async () => {
    const body = batch('shared-batch-id', { revision: 1, status: 'running', params: { owner: 'a' } }, [0]);
    const a = await ingest(body);
    await ingest(batch('shared-batch-id', { revision: 2, status: 'finished' }));
    const b = await ingest({ ...body, run: { ...body.run, params: { owner: 'b' } } }, ingestB);
    expect(b.status).toBe(202);
    expect(b.body).toMatchObject({ duplicate: false, accepted: { metrics: 1 } });
    expect(b.body.run_id).not.toBe(a.body.run_id);
    expect(await run(a.body.run_id)).toMatchObject({ status: 'finished', params: { owner: 'a' } });
    const engineerB = await k.login('b', 'ML_ENGINEER');
    expect((await k.request('GET', `/api/v1/runs/${b.body.run_id}`, { token: engineerB })).body).toMatchObject({ status: 'running', params: { owner: 'b' } });
  });
});
