import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomBytes, randomUUID } from 'node:crypto';

// What the Compare page and the Replay tab read: GET /runs/compare on every axis, and
// POST /runs/:id/replay around a moment — with RBAC and tenant isolation.
const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
let k: TestKernel;
let ingestA: string;
let engineerA: string;
let a: string;
let b: string;

interface Bucket {
  x: number;
  min: number;
  max: number;
}

async function seed(clientRunId: string, spikeAt: number | null): Promise<string> {
  const metrics = Array.from({ length: 2000 }, (_, step) => ({
    name: 'loss', value: step === spikeAt ? 40 : 2 / (step + 1), step, epoch: Math.floor(step / 200), ts: T0 + step * 1000,
  }));
  const answer = await k.request('POST', '/api/v1/ingest/batch', {
    token: ingestA,
    body: {
      batch_id: randomUUID(), run: { client_run_id: clientRunId, project: 'cmp', name: clientRunId, params: { lr: spikeAt === null ? 0.1 : 0.3 } },
      metrics: [...metrics, { name: 'accuracy', value: 0.5, step: 1, ts: T0 }],
      logs: [{ ts: T0 + 1500_000, level: 'warn', message: `${clientRunId} spike` }, { ts: T0 + 10_000, level: 'info', message: 'start' }],
      events: [{ ts: T0 + 1500_000, type: 'loss_spike', source: 'run', severity: 'warning', message: 'spike' }],
      spans: [{ trace_id: randomBytes(16).toString('hex'), span_id: randomBytes(8).toString('hex'), name: 'train_step', service: 'cmp', start: T0 + 1499_000, end: T0 + 1501_000, status: 'ok' }],
    },
  });
  expect(answer.status).toBe(202);
  return answer.body.run_id as string;
}

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  engineerA = await k.login('a', 'ML_ENGINEER');
  a = await seed('cmp-a', null);
  b = await seed('cmp-b', 1500);
});
afterAll(async () => {
  await k?.stop();
});

describe('GET /runs/compare', () => {
  it.each(['step', 'epoch', 'time'] as const)('answers each run downsampled by %s, the spike kept in the max of its bucket', async (by) => {
    const answer = await k.request('GET', `/api/v1/runs/compare?ids=${a},${b}&name=loss&by=${by}&points=50`, { token: engineerA });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'loss', by, runs: [{ id: a, name: 'cmp-a' }, { id: b, name: 'cmp-b' }] });
    const [seriesA, seriesB] = answer.body.series as { run_id: string; buckets: Bucket[] }[];
    expect([seriesA!.run_id, seriesB!.run_id]).toEqual([a, b]);
    expect(seriesB!.buckets.length).toBeLessThanOrEqual(50);
    expect(Math.max(...seriesB!.buckets.map((x) => x.max))).toBe(40);
    expect(Math.max(...seriesA!.buckets.map((x) => x.max))).toBe(2);
    expect(seriesA!.buckets.every((x) => x.min <= x.max)).toBe(true);
  });

  it('gives an empty series for a run that lacks the metric rather than failing the comparison', async () => {
    const answer = await k.request('GET', `/api/v1/runs/compare?ids=${a},${b}&name=accuracy&by=epoch`, { token: engineerA });
    expect(answer.status).toBe(200);
    expect(answer.body.series.map((s: { buckets: unknown[] }) => s.buckets.length)).toEqual([0, 0]);
  });

  it('lets READONLY compare, and answers 404 when any id is not the tenant\'s — nothing of the others leaks', async () => {
    const readonly = await k.login('a', 'READONLY');
    expect((await k.request('GET', `/api/v1/runs/compare?ids=${a},${b}&name=loss`, { token: readonly })).status).toBe(200);
    const engineerB = await k.login('b', 'ML_ENGINEER');
    const foreign = await k.request('GET', `/api/v1/runs/compare?ids=${a},${b}&name=loss`, { token: engineerB });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('cmp-');
    // A's engineer naming a run of B next to an own run: still 404, no series of the own run either.
    const ingestB = await k.apiToken('b', 'ML_ENGINEER', ['ingest', 'read']);
    const runB = await k.request('POST', '/api/v1/ingest/batch', { token: ingestB, body: { batch_id: randomUUID(), run: { client_run_id: 'b-own', project: 'cmp' }, metrics: [{ name: 'loss', value: 1, step: 1, ts: T0 }] } });
    const mixed = await k.request('GET', `/api/v1/runs/compare?ids=${a},${runB.body.run_id}&name=loss`, { token: engineerA });
    expect(mixed.status).toBe(404);
    expect(mixed.body.series).toBeUndefined();
  });
});

describe('POST /runs/:id/replay', () => {
  it('answers the logs, events, spans and every metric of the window around a moment, and nothing outside it', async () => {
    const at = T0 + 1500_000;
    const answer = await k.request('POST', `/api/v1/runs/${b}/replay`, { token: engineerA, body: { from: at - 60_000, to: at + 60_000 } });
    expect(answer.status).toBe(200);
    expect(answer.body.logs.map((l: { message: string }) => l.message)).toEqual(['cmp-b spike']);
    expect(answer.body.events.map((e: { type: string }) => e.type)).toEqual(['loss_spike']);
    expect(answer.body.spans.map((s: { name: string }) => s.name)).toEqual(['train_step']);
    const loss = answer.body.metrics.find((m: { name: string }) => m.name === 'loss');
    expect(loss.by).toBe('time');
    expect(loss.buckets.every((x: Bucket) => x.x >= at - 60_000 && x.x <= at + 60_000)).toBe(true);
    expect(Math.max(...loss.buckets.map((x: Bucket) => x.max))).toBe(40);
  });

  it('is 404 for another tenant and 400 naming the field for a window that ends before it starts', async () => {
    const engineerB = await k.login('b', 'ML_ENGINEER');
    const foreign = await k.request('POST', `/api/v1/runs/${b}/replay`, { token: engineerB, body: { from: T0, to: T0 + 1 } });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('spike');
    const backwards = await k.request('POST', `/api/v1/runs/${b}/replay`, { token: engineerA, body: { from: T0 + 1, to: T0 } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);
  });
});
