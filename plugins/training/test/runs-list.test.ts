import { ROLES } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

// What the runs page asks of GET /runs (creator, sparklines, activity window, search by id and tag)
// and the tenant-wide stream GET /runs/stream it follows for live status and values.
const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
const HOUR = 3_600_000;
let k: TestKernel;
let ingestA: string;
let ingestB: string;
let engineerA: string;
let engineerB: string;

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  ingestB = await k.apiToken('b', 'ML_ENGINEER', ['ingest', 'read']);
  engineerA = await k.login('a', 'ML_ENGINEER');
  engineerB = await k.login('b', 'ML_ENGINEER');
});
afterAll(async () => {
  await k?.stop();
});

type RunItem = { id: string; name: string; user: string | null; sparkline?: (number | null)[]; status: string };
const ingest = (token: string, run: Record<string, unknown>, steps = 0) =>
  k.request('POST', '/api/v1/ingest/batch', {
    token,
    body: {
      batch_id: randomUUID(),
      run: { project: 'listing', ...run },
      metrics: Array.from({ length: steps }, (_, step) => ({ name: 'loss', value: 10 - step / 100, step, ts: T0 + step })),
    },
  });
const list = async (token: string, query: string) => {
  const answer = await k.request('GET', `/api/v1/runs?project=listing&${query}`, { token });
  expect(answer.status).toBe(200);
  return answer.body.items as RunItem[];
};
const names = (items: RunItem[]) => items.map((r) => r.name).sort();

describe('GET /api/v1/runs for the runs page', () => {
  it('names the user whose token created the run', async () => {
    const created = await ingest(ingestA, { client_run_id: 'by-token', name: 'by-token' }, 1);
    const run = (await k.request('GET', `/api/v1/runs/${created.body.run_id}`, { token: engineerA })).body as RunItem;
    expect(run.user).toMatch(/@/);
    // A later batch from another user of the tenant does not change who created it.
    const other = await k.apiToken('a', 'DATA_SCIENTIST', ['ingest']);
    await ingest(other, { client_run_id: 'by-token' }, 2);
    expect((await k.request('GET', `/api/v1/runs/${created.body.run_id}`, { token: engineerA })).body.user).toBe(run.user);
  });

  it('adds a downsampled sparkline of the named metric to each row, in the same answer', async () => {
    await ingest(ingestA, { client_run_id: 'spark-long', name: 'spark-long' }, 500);
    await ingest(ingestA, { client_run_id: 'spark-none', name: 'spark-none' }, 0);
    const items = await list(engineerA, 'q=spark-&sparkline=loss');
    const long = items.find((r) => r.name === 'spark-long')!;
    expect(long.sparkline!.length).toBeGreaterThan(4);
    expect(long.sparkline!.length).toBeLessThanOrEqual(32);
    // Falling loss, drawn left to right.
    expect(long.sparkline![0]!).toBeGreaterThan(long.sparkline![long.sparkline!.length - 1]!);
    expect(items.find((r) => r.name === 'spark-none')!.sparkline).toEqual([]);
    expect((await list(engineerA, 'q=spark-'))[0]!.sparkline).toBeUndefined();
  });

  it('keeps only runs active at some moment of [active_from, active_to]', async () => {
    // early: T0 .. T0+1h; late: T0+3h .. T0+4h; open: from T0+2h, still running.
    await ingest(ingestA, { client_run_id: 'win-early', name: 'win-early', started_at: T0, ended_at: T0 + HOUR, status: 'finished' });
    await ingest(ingestA, { client_run_id: 'win-late', name: 'win-late', started_at: T0 + 3 * HOUR, ended_at: T0 + 4 * HOUR, status: 'finished' });
    await ingest(ingestA, { client_run_id: 'win-open', name: 'win-open', started_at: T0 + 2 * HOUR, status: 'running' });
    const window = (from: number, to: number) => list(engineerA, `q=win-&active_from=${from}&active_to=${to}`).then(names);
    expect(await window(T0 + 0.5 * HOUR, T0 + 0.6 * HOUR)).toEqual(['win-early']);
    expect(await window(T0 + 1.5 * HOUR, T0 + 1.8 * HOUR)).toEqual([]);
    expect(await window(T0 + 2.5 * HOUR, T0 + 2.6 * HOUR)).toEqual(['win-open']);
    expect(await window(T0, T0 + 5 * HOUR)).toEqual(['win-early', 'win-late', 'win-open']);
    // ISO-8601 works the same as epoch milliseconds.
    const iso = await list(engineerA, `q=win-&active_from=${new Date(T0 + 3.5 * HOUR).toISOString()}&active_to=${new Date(T0 + 3.6 * HOUR).toISOString()}`);
    expect(names(iso)).toEqual(['win-late', 'win-open']);
  });

  it('finds a run by its id, its client id or a tag value with q', async () => {
    const created = await ingest(ingestA, { client_run_id: 'find-me-key', name: 'findable', tags: { team: 'vision-squad' } });
    const id = created.body.run_id as string;
    for (const q of [id, 'find-me-key', 'vision-sq']) expect(names(await list(engineerA, `q=${encodeURIComponent(q)}`))).toEqual(['findable']);
  });

  it('answers bad input with a 400 problem naming the field', async () => {
    for (const [query, field] of [
      ['active_from=yesterday', 'active_from'],
      [`active_from=${T0 + 1}&active_to=${T0}`, 'active_from'],
      ['sparkline=', 'sparkline'],
      ['sort=-duration', 'sort'],
    ]) {
      const answer = await k.request('GET', `/api/v1/runs?${query}`, { token: engineerA });
      expect([query, answer.status, answer.headers.get('content-type')]).toEqual([query, 400, expect.stringContaining('application/problem+json')]);
      expect(JSON.stringify(answer.body)).toContain(field);
    }
  });

  it('never shows another tenant’s runs, by list, search by id or sparkline', async () => {
    const created = await ingest(ingestA, { client_run_id: 'only-a', name: 'only-a' }, 3);
    const inB = await k.request('GET', `/api/v1/runs?q=${created.body.run_id}&sparkline=loss`, { token: engineerB });
    expect(inB.status).toBe(200);
    expect(inB.body.items).toEqual([]);
    expect((await k.request('GET', '/api/v1/runs?q=only-a', { token: engineerB })).body.total).toBe(0);
  });

  it('lets every role list runs (all hold runs:read), a token only with its read scope, nobody anonymous', async () => {
    for (const role of ROLES) {
      const token = await k.login('a', role);
      const answer = await k.request('GET', '/api/v1/runs?page_size=1&sparkline=loss', { token });
      expect([role, answer.status]).toEqual([role, 200]);
    }
    const ingestOnly = await k.apiToken('a', 'ML_ENGINEER', ['ingest']);
    expect((await k.request('GET', '/api/v1/runs', { token: ingestOnly })).status).toBe(403);
    expect((await k.request('GET', '/api/v1/runs')).status).toBe(401);
  });
});

/** Opens GET /runs/stream and collects its text until `until` matches or 10 s pass. */
function followRuns(token: string, onHello: () => void, until: (text: string) => boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${k.baseUrl}/api/v1/runs/stream`, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      let greeted = false;
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ status: res.statusCode ?? 0, text });
        return;
      }
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: 200, text });
      }, 10_000);
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (!greeted && text.includes('event: hello')) {
          greeted = true;
          onHello();
        }
        if (until(text)) {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: 200, text });
        }
      });
    });
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end();
  });
}

describe('GET /api/v1/runs/stream', () => {
  it('tells the tenant’s runs list of a new run, its newest values and its status change', async () => {
    let runId = '';
    const { text } = await followRuns(
      engineerA,
      () =>
        void (async () => {
          runId = (await ingest(ingestA, { client_run_id: 'live-list', name: 'live-list' }, 3)).body.run_id as string;
          await ingest(ingestA, { client_run_id: 'live-list', status: 'finished' });
        })(),
      (t) => t.includes('event: status'),
    );
    expect(text).toContain(`event: created\ndata: {"run_id":"${runId}"}`);
    expect(text).toMatch(new RegExp(`event: metrics\\ndata: \\{"run_id":"${runId}","points":\\[.*"name":"loss"`));
    expect(text).toContain(`event: status\ndata: {"run_id":"${runId}","status":"finished"}`);
  });

  it('sends tenant B nothing of tenant A’s runs', async () => {
    // B listens while A ingests, then B ingests once: B's stream must show B's run and never A's.
    let runA = '';
    let runB = '';
    const { text } = await followRuns(
      engineerB,
      () =>
        void (async () => {
          runA = (await ingest(ingestA, { client_run_id: 'secret-a', name: 'secret-a' }, 2)).body.run_id as string;
          runB = (await ingest(ingestB, { client_run_id: 'mine-b', name: 'mine-b' }, 2)).body.run_id as string;
          // Sent after A's batch was answered, so A's events (had they leaked) came before this one.
          await ingest(ingestB, { client_run_id: 'mine-b', status: 'finished' });
        })(),
      (t) => t.includes('event: status'),
    );
    expect(text).toContain(runB);
    expect(runA).not.toBe('');
    expect(text).not.toContain(runA);
  });

  it('is open to every role with runs:read, refused to a token without the read scope and to anonymous', async () => {
    for (const role of ROLES) {
      const opened = await followRuns(await k.login('a', role), () => undefined, (t) => t.includes('event: hello'));
      expect([role, opened.status, opened.text]).toEqual([role, 200, expect.stringContaining('event: hello')]);
    }
    const ingestOnly = await k.apiToken('a', 'ML_ENGINEER', ['ingest']);
    expect((await followRuns(ingestOnly, () => undefined, () => true)).status).toBe(403);
    expect((await followRuns('', () => undefined, () => true)).status).toBe(401);
  });
});

describe('GET /api/v1/runs/stream input', () => {
  it('refuses parameters it does not take with a 400 problem instead of opening a stream', async () => {
    const answer = await k.request('GET', '/api/v1/runs/stream?project=x', { token: engineerA });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.text).toContain('project');
  });
});
