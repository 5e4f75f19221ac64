import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
let k: TestKernel;
let ingestA: string;
let ingestB: string;
let engineerA: string;

const batch = (clientRunId: string, extra: Record<string, unknown> = {}) => ({
  batch_id: randomUUID(),
  run: { client_run_id: clientRunId, project: 'nlp-abtest', name: clientRunId, framework: 'pytorch', tags: { exp: 'ab' }, params: { lr: 0.0003 } },
  ...extra,
});

beforeAll(async () => {
  // One setting by its prefixed name, one by the older name the manifest still accepts.
  k = await startTestKernel({ plugins: PLUGINS, env: { ONESERVICE_TRAINING_INGEST_MAX_ITEMS: '1000', ARTIFACT_MAX_BYTES: '1024' } });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  ingestB = await k.apiToken('b', 'ML_ENGINEER', ['ingest', 'read']);
  engineerA = await k.login('a', 'ML_ENGINEER');
});
afterAll(async () => {
  await k?.stop();
});

async function ingest(token: string, body: unknown) {
  return k.request('POST', '/api/v1/ingest/batch', { token, body });
}

describe('ingest', () => {
  it('stores a batch, answers 202 with counts, and a resent batch is stored once', async () => {
    const body = batch('happy', {
      metrics: [
        { name: 'loss', value: 0.9, step: 1, ts: T0 },
        { name: 'loss', value: 'NaN', step: 2, ts: T0 + 1 },
        { name: 'loss', value: 'Infinity', step: 3, ts: T0 + 2 },
        { name: 'accuracy', value: 0.5, epoch: 1, ts: T0 + 3 },
      ],
      logs: [{ ts: T0, level: 'info', message: 'loading shard-1', stream: 'stdout' }],
      events: [{ ts: T0 + 5, type: 'checkpoint_saved', payload: { path: '/chkpt/epoch-1' } }],
      spans: [{ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), name: 'forward_pass', start: T0, end: T0 + 100, status: 'ok' }],
    });
    const first = await ingest(ingestA, body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false, accepted: { metrics: 4, logs: 1, events: 1, spans: 1 } });
    const again = await ingest(ingestA, body);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });

    const runId = first.body.run_id as string;
    const run = await k.request('GET', `/api/v1/runs/${runId}`, { token: engineerA });
    expect(run.status).toBe(200);
    const loss = run.body.metrics.find((m: { name: string }) => m.name === 'loss');
    expect(loss).toMatchObject({ count: 3, last: 'Infinity', min: 0.9, max: 'Infinity', last_step: 3 });
    const series = await k.request('GET', `/api/v1/runs/${runId}/metrics?name=loss&by=step`, { token: engineerA });
    expect(series.body.exact).toBe(true);
    expect(series.body.buckets.map((b: { last: unknown }) => b.last)).toEqual([0.9, 'NaN', 'Infinity']);
    const names = await k.request('GET', `/api/v1/runs/${runId}/metrics`, { token: engineerA });
    expect(names.body.names.sort()).toEqual(['accuracy', 'loss']);

    const logs = await k.request('GET', `/api/v1/runs/${runId}/logs`, { token: engineerA });
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual(['loading shard-1']);
    const events = await k.request('GET', `/api/v1/runs/${runId}/events`, { token: engineerA });
    expect(events.body.items).toHaveLength(1);
    const traces = await k.request('GET', `/api/v1/runs/${runId}/traces`, { token: engineerA });
    expect(traces.body.items).toHaveLength(1);
    const trace = await k.request('GET', `/api/v1/runs/${runId}/traces/${'a'.repeat(32)}`, { token: engineerA });
    expect(trace.body.spans.map((s: { name: string }) => s.name)).toEqual(['forward_pass']);

    const replay = await k.request('POST', `/api/v1/runs/${runId}/replay`, { token: engineerA, body: { from: T0, to: T0 + 1 } });
    expect(replay.status).toBe(200);
    const replayLoss = replay.body.metrics.find((m: { name: string }) => m.name === 'loss');
    expect(replayLoss.buckets).toHaveLength(2);
    expect(replay.body.logs).toHaveLength(1);
    expect(replay.body.events).toHaveLength(0);
  });

  it('names the malformed item and stores nothing of the batch', async () => {
    const body = batch('malformed', { metrics: [0, 1, 2].map((step) => ({ name: 'loss', value: 1, step, ts: T0 })).concat([{ name: 'loss', value: 'lots', step: 3, ts: T0 } as never]) });
    const answer = await ingest(ingestA, body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain('metrics[3].value');
    const runs = await k.request('GET', '/api/v1/runs?q=malformed', { token: engineerA });
    expect(runs.body.total).toBe(0);
  });

  it('stores a batch resent concurrently exactly once', async () => {
    const body = batch('concurrent-resend', {
      metrics: Array.from({ length: 500 }, (_, step) => ({ name: 'loss', value: 1 / (step + 1), step, ts: T0 + step })),
      logs: [{ ts: T0, level: 'info', message: 'once or more' }],
    });
    const answers = await Promise.all(Array.from({ length: 6 }, () => ingest(ingestA, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(answers.reduce((n, a) => n + a.body.accepted.metrics, 0)).toBe(500);
    const runId = answers[0]!.body.run_id as string;
    const run = await k.request('GET', `/api/v1/runs/${runId}`, { token: engineerA });
    expect(run.body.metrics.find((m: { name: string }) => m.name === 'loss')).toMatchObject({ count: 500, last_step: 499 });
    const again = await ingest(ingestA, body);
    expect(again.body).toMatchObject({ duplicate: true, accepted: { metrics: 0 } });
  });

  it('takes metrics as columns next to rows, and names a bad entry of a column', async () => {
    const body = batch('columns', {
      metrics: [{ name: 'lr', value: 0.1, step: 0, ts: T0 }],
      metric_columns: { name: ['loss', 'loss', 'loss', 'acc'], value: [0.5, 'NaN', 0.25, 0.75], step: [0, 1, 2, null], epoch: [null, null, null, 1], ts: [T0, T0 + 1, T0 + 2.5, T0 + 3] },
    });
    const answer = await ingest(ingestA, body);
    expect(answer.status).toBe(202);
    expect(answer.body.accepted.metrics).toBe(5);
    const runId = answer.body.run_id as string;
    const series = await k.request('GET', `/api/v1/runs/${runId}/metrics?name=loss&by=time`, { token: engineerA });
    expect(series.body.buckets.map((b: { x: number; last: unknown }) => [b.x, b.last])).toEqual([[T0, 0.5], [T0 + 1, 'NaN'], [T0 + 2.5, 0.25]]);
    const byEpoch = await k.request('GET', `/api/v1/runs/${runId}/metrics?name=acc&by=epoch`, { token: engineerA });
    expect(byEpoch.body.buckets.map((b: { x: number; last: unknown }) => [b.x, b.last])).toEqual([[1, 0.75]]);

    // value and ts packed as little-endian float64s (what monitor_sdk sends): NaN needs no string there.
    const f64 = (numbers: number[]) => ({ f64: Buffer.from(new Float64Array(numbers).buffer).toString('base64') });
    const packed = await ingest(ingestA, { ...batch('columns'), metric_columns: { name: ['loss', 'loss'], value: f64([Number.NaN, 0.125]), step: [3, 4], ts: f64([T0 + 3, T0 + 4.25]) } });
    expect(packed.status).toBe(202);
    const more = await k.request('GET', `/api/v1/runs/${runId}/metrics?name=loss&by=step`, { token: engineerA });
    expect(more.body.buckets.map((b: { x: number; last: unknown }) => [b.x, b.last])).toEqual([[0, 0.5], [1, 'NaN'], [2, 0.25], [3, 'NaN'], [4, 0.125]]);
    const torn = await ingest(ingestA, batch('columns-bad', { metric_columns: { name: ['a'], value: { f64: Buffer.alloc(7).toString('base64') }, ts: [T0] } }));
    expect(torn.body.errors[0]).toMatchObject({ path: 'metric_columns.value.f64', message: 'expected base64 of whole float64s (8 bytes each), got 7 bytes' });

    const bad = await ingest(ingestA, batch('columns-bad', { metric_columns: { name: ['a', 'a', 'a', 'a'], value: [1, 2, 3, 'lots'], step: [0, 1, 2, -3], ts: [T0, T0, T0, T0] } }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['metric_columns.value[3]', 'metric_columns.step[3]']);
    const ragged = await ingest(ingestA, batch('columns-bad', { metric_columns: { name: ['a', 'a'], value: [1], ts: [T0, T0] } }));
    expect(ragged.status).toBe(400);
    expect(ragged.body.errors[0]).toMatchObject({ path: 'metric_columns.value', message: 'expected 2 entries (as many as name), got 1' });
    const runs = await k.request('GET', '/api/v1/runs?q=columns-bad', { token: engineerA });
    expect(runs.body.total).toBe(0);
  });

  it('refuses too many items with 413 naming the limit', async () => {
    const metrics = Array.from({ length: 1001 }, (_, step) => ({ name: 'loss', value: 1, step, ts: T0 }));
    const answer = await ingest(ingestA, batch('too-many', { metrics }));
    expect(answer.status).toBe(413);
    expect(answer.body.limit).toBe(1000);
    expect(answer.body.detail).toContain('INGEST_MAX_ITEMS');
  });
});

describe('runs', () => {
  it('filters, sorts by a metric, and pages', async () => {
    for (const [i, variant] of ['a', 'b', 'c'].entries()) {
      await ingest(ingestA, { ...batch(`list-${variant}`), run: { client_run_id: `list-${variant}`, project: 'listing', tags: { variant, exp: 'list' }, params: { lr: i } },
        metrics: [{ name: 'accuracy', value: [0.7, 0.9, 0.8][i], step: 1, ts: T0 }] });
    }
    const byAcc = await k.request('GET', '/api/v1/runs?project=listing&sort=-metric.accuracy', { token: engineerA });
    expect(byAcc.body.items.map((r: { name: string }) => r.name)).toEqual(['list-b', 'list-c', 'list-a']);
    expect(byAcc.body.items[0].metrics[0]).toMatchObject({ name: 'accuracy', last: 0.9 });
    const tagged = await k.request('GET', '/api/v1/runs?tag=variant:c&tag=exp:list', { token: engineerA });
    expect(tagged.body.items.map((r: { name: string }) => r.name)).toEqual(['list-c']);
    const param = await k.request('GET', '/api/v1/runs?param=lr:0', { token: engineerA });
    expect(param.body.items.map((r: { name: string }) => r.name)).toEqual(['list-a']);
    const paged = await k.request('GET', '/api/v1/runs?project=listing&sort=name&page=2&page_size=2', { token: engineerA });
    expect(paged.body).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(paged.body.items.map((r: { name: string }) => r.name)).toEqual(['list-c']);
    const bad = await k.request('GET', '/api/v1/runs?sort=password', { token: engineerA });
    expect(bad.status).toBe(400);

    const patched = await k.request('PATCH', `/api/v1/runs/${byAcc.body.items[0].id}`, { token: engineerA, body: { notes: 'best', tags: { keep: 'yes' } } });
    expect(patched.body).toMatchObject({ notes: 'best', tags: { keep: 'yes' } });
    const projects = await k.request('GET', '/api/v1/projects?q=list', { token: engineerA });
    expect(projects.body.items).toEqual([expect.objectContaining({ name: 'listing', run_count: 3 })]);
  });

  it('keeps a spike in the downsampled series and compares runs', async () => {
    const metrics = Array.from({ length: 900 }, (_, step) => ({ name: 'loss', value: step === 444 ? 50 : 1 / (step + 1), step, ts: T0 + step }));
    const a = await ingest(ingestA, batch('spiky', { metrics }));
    const b = await ingest(ingestA, batch('calm', { metrics: metrics.map((m) => ({ ...m, value: 1 })) }));
    const series = await k.request('GET', `/api/v1/runs/${a.body.run_id}/metrics?name=loss&points=30`, { token: engineerA });
    expect(series.body.exact).toBe(false);
    expect(series.body.buckets.length).toBeLessThanOrEqual(30);
    expect(Math.max(...series.body.buckets.map((x: { max: number }) => x.max))).toBe(50);
    const compare = await k.request('GET', `/api/v1/runs/compare?ids=${a.body.run_id},${b.body.run_id}&name=loss&points=30`, { token: engineerA });
    expect(compare.body.series).toHaveLength(2);
    expect(compare.body.series[1].buckets.every((x: { max: number }) => x.max === 1)).toBe(true);
  });

  it('streams a new point over SSE', async () => {
    const created = await ingest(ingestA, batch('live'));
    const runId = created.body.run_id as string;
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${k.baseUrl}/api/v1/runs/${runId}/stream`, { headers: { authorization: `Bearer ${engineerA}` } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('event: hello') && !text.includes('sent')) {
            text += 'sent';
            void ingest(ingestA, batch('live', { metrics: [{ name: 'loss', value: 0.25, step: 7, ts: T0 }] }));
          }
          if (text.includes('event: metrics')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
      req.end();
      setTimeout(() => reject(new Error('no metrics event within 10 s')), 10_000);
    });
    const text = await received;
    expect(text).toMatch(/event: metrics\ndata: .*"name":"loss","value":0.25,"step":7/);
  });
});

describe('artifacts and model graph', () => {
  it('takes an upload with an ingest token or a write token on one route, and refuses one over ARTIFACT_MAX_BYTES', async () => {
    const runId = (await ingest(ingestA, batch('artifact-scopes'))).body.run_id as string;
    const writeOnly = await k.apiToken('a', 'ML_ENGINEER', ['write', 'read']);
    const ingestOnly = await k.apiToken('a', 'ML_ENGINEER', ['ingest']);
    const readOnly = await k.apiToken('a', 'ML_ENGINEER', ['read']);
    const at = `/api/v1/runs/${runId}/artifacts?path=notes.txt`;
    const octet = { 'content-type': 'application/octet-stream' };
    expect((await k.request('POST', at, { token: ingestOnly, rawBody: Buffer.from('one'), headers: octet })).status).toBe(201);
    const wrongScope = await k.request('POST', at, { token: readOnly, rawBody: Buffer.from('x'), headers: octet });
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.body.detail).toContain('ingest or write');
    const byWrite = await k.request('POST', at, { token: writeOnly, rawBody: Buffer.from('two'), headers: octet });
    expect(byWrite.status).toBe(201);
    expect(byWrite.body).toMatchObject({ path: 'notes.txt', size: 3 });
    expect((await k.request('PUT', at, { token: writeOnly, rawBody: Buffer.from('x'), headers: octet })).status).toBe(405);

    const tooBig = await k.request('POST', at, { token: writeOnly, rawBody: Buffer.alloc(1025), headers: octet });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ limit: 1024, limit_name: 'ARTIFACT_MAX_BYTES' });
    const kept = (await k.request('GET', `/api/v1/runs/${runId}/artifacts`, { token: engineerA })).body.items;
    expect(kept).toHaveLength(1);
    expect((await k.request('GET', `/api/v1/runs/${runId}/artifacts/${kept[0].id}/download`, { token: engineerA })).text).toBe('two');
  });

  it('uploads, lists, downloads with sha256, finds the model; delete is audited', async () => {
    const created = await ingest(ingestA, batch('artifacts'));
    const runId = created.body.run_id as string;
    const none = await k.request('GET', `/api/v1/runs/${runId}/model-graph`, { token: engineerA });
    expect(none.status).toBe(404);
    expect(none.body.detail).toContain('model file');

    const bytes = Buffer.from('not really onnx but bytes all the same');
    const upload = await k.request('POST', `/api/v1/runs/${runId}/artifacts?path=models/model.onnx&type=model`, {
      token: ingestA, rawBody: bytes, headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ path: 'models/model.onnx', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const list = await k.request('GET', `/api/v1/runs/${runId}/artifacts`, { token: engineerA });
    expect(list.body.items).toHaveLength(1);
    const graph = await k.request('GET', `/api/v1/runs/${runId}/model-graph`, { token: engineerA });
    expect(graph.body).toMatchObject({ artifact_id: upload.body.id, format: 'onnx', url: `/api/v1/runs/${runId}/artifacts/${upload.body.id}/download` });
    const download = await k.request('GET', graph.body.url, { token: engineerA });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('model.onnx');
    expect(download.text).toBe(bytes.toString());
    const evil = await k.request('POST', `/api/v1/runs/${runId}/artifacts?path=../../etc/passwd`, { token: ingestA, rawBody: bytes });
    expect(evil.status).toBe(400);

    const readonly = await k.login('a', 'READONLY');
    expect((await k.request('DELETE', `/api/v1/runs/${runId}`, { token: readonly })).status).toBe(403);
    expect((await k.request('DELETE', `/api/v1/runs/${runId}`, { token: engineerA })).status).toBe(204);
    expect((await k.request('GET', `/api/v1/runs/${runId}`, { token: engineerA })).status).toBe(404);
    const audit = await k.kernel.knex('audit_log').where({ action: 'run.delete', resource_id: runId }).first();
    expect(audit).toBeDefined();
  });
});

describe('tenant isolation and RBAC', () => {
  it('never lets tenant B read or write tenant A runs (404, no data)', async () => {
    const created = await ingest(ingestA, batch('isolated', { metrics: [{ name: 'loss', value: 1, step: 1, ts: T0 }] }));
    const runId = created.body.run_id as string;
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/v1/runs/${runId}`], ['PATCH', `/api/v1/runs/${runId}`, { notes: 'x' }], ['DELETE', `/api/v1/runs/${runId}`],
      ['GET', `/api/v1/runs/${runId}/metrics?name=loss`], ['GET', `/api/v1/runs/compare?ids=${runId}&name=loss`],
      ['GET', `/api/v1/runs/${runId}/logs`], ['GET', `/api/v1/runs/${runId}/events`], ['GET', `/api/v1/runs/${runId}/traces`],
      ['POST', `/api/v1/runs/${runId}/replay`, { from: 0, to: T0 * 2 }], ['GET', `/api/v1/runs/${runId}/artifacts`],
      ['GET', `/api/v1/runs/${runId}/model-graph`], ['GET', `/api/v1/runs/${runId}/stream`],
    ];
    const engineerB = await k.login('b', 'ML_ENGINEER');
    for (const [method, path, body] of routes) {
      const answer = await k.request(method, path, { token: engineerB, body });
      expect([method, path, answer.status]).toEqual([method, path, 404]);
      expect(JSON.stringify(answer.body)).not.toContain('"loss"');
    }
    const upload = await k.request('POST', `/api/v1/runs/${runId}/artifacts?path=x.bin`, { token: ingestB, rawBody: Buffer.from('x') });
    expect(upload.status).toBe(404);
    // The same client_run_id from tenant B makes B's own run, never resumes A's.
    const sameKey = await ingest(ingestB, batch('isolated', { metrics: [{ name: 'loss', value: 2, step: 1, ts: T0 }] }));
    expect(sameKey.body.run_id).not.toBe(runId);
    const listB = await k.request('GET', '/api/v1/runs', { token: engineerB });
    expect(listB.body.items.map((r: { id: string }) => r.id)).toEqual([sameKey.body.run_id]);
    const stillA = await k.request('GET', `/api/v1/runs/${runId}`, { token: engineerA });
    expect(stillA.body.metrics[0]).toMatchObject({ count: 1, last: 1 });
  });

  it('lets READONLY and PM read but not ingest, write or delete', async () => {
    // A READONLY user cannot even mint an ingest token: it would only ever get 403.
    const readonly = await k.login('a', 'READONLY');
    expect((await k.request('GET', '/api/v1/auth/api-token/scopes', { token: readonly })).body.scopes).toEqual(['read']);
    const refused = await k.request('POST', '/api/v1/auth/api-token', { token: readonly, body: { name: 'ro', scopes: ['ingest', 'read'] } });
    expect([refused.status, refused.body.detail]).toEqual([403, 'your role cannot use the ingest scope; it can use read']);
    const engineer = await k.login('a', 'ML_ENGINEER');
    expect((await k.request('GET', '/api/v1/auth/api-token/scopes', { token: engineer })).body.scopes).toEqual(['read', 'write', 'ingest']);
    const pm = await k.login('a', 'PM');
    expect((await k.request('GET', '/api/v1/runs', { token: pm })).status).toBe(200);
    expect((await k.request('POST', '/api/v1/projects', { token: pm, body: { name: 'pm-project' } })).status).toBe(403);
    const readOnlyScope = await k.apiToken('a', 'ML_ENGINEER', ['read']);
    expect((await ingest(readOnlyScope, batch('scope'))).status).toBe(403);
  });
});
