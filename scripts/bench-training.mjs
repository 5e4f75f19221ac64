// Training data plane figures, printed side by side, never asserted. `node scripts/bench-training.mjs`
// after `npm run build` (`npm run bench` runs it). Everything goes over HTTP to the built platform:
//  (a) monitor_sdk → platform → PostgreSQL metric points/s, one Python client, batched;
//  (b) MLflow's tracking server on this machine (log_batch in chunks of its 1,000-metric limit) → the ratio;
//  (c) log_metric call cost (median, p99) and the SDK's encoding cost a point;
//  (d) a 1M-point series → 1,000 buckets (p95), by step and by time;
//  (e) GET /runs over 10k runs (p95);
//  (f) SDK call → SSE event latency (p50/p95).
// MLflow goes into a venv under .bench/ (git-ignored); when it cannot be installed the reason is printed
// and the other figures still are. BENCH_POINTS (default 1,000,000) and BENCH_RUNS (10,000) scale it;
// BENCH_ONLY=a,c,f runs only those sections (b needs a); NODE_CPU_PROF=<dir> starts the platform under
// `node --cpu-prof` and leaves its profile there.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, createApiToken, freePort, startPlatform } from './lib/platform-process.mjs';
import { lineReader } from './lib/line-reader.mjs';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const SDK_SRC = path.join(ROOT, 'monitor-sdk', 'python', 'src');
const BENCH_DIR = path.join(ROOT, '.bench');
const MLFLOW_VENV = path.join(BENCH_DIR, 'mlflow-venv');
const PYTHON = process.env.PYTHON ?? 'python3';
const figures = [];
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
const runs = (section) => !ONLY || ONLY.has(section);

const pct = (samples, p) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
const fmt = (n, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
function figure(name, value, aim) {
  figures.push({ name, value, aim });
  console.log(`  ${name}: ${value}${aim ? `   (aim ${aim})` : ''}`);
}

async function timed(times, work) {
  const samples = [];
  for (let i = 0; i < times; i += 1) {
    const t = performance.now();
    await work(i);
    samples.push(performance.now() - t);
  }
  return { p50: pct(samples, 50), p95: pct(samples, 95) };
}

function python(script, env = {}, interpreter = PYTHON) {
  const result = spawnSync(interpreter, ['-c', script], { env: { ...process.env, PYTHONPATH: SDK_SRC, ...env }, encoding: 'utf8', timeout: 600_000 });
  // The last lines say why; a whole traceback would drown the summary.
  if (result.status !== 0) throw new Error(`python failed: ${String(result.stderr || result.error).trim().split('\n').slice(-2).join(' ')}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

// (a) One monitor_sdk client logging as fast as it can; the clock stops when finish() returns, i.e.
// when the platform has acknowledged (stored) every batch.
const SDK_THROUGHPUT = `
import json, os, tempfile, time
from monitor_sdk import OneServiceRun
n = int(os.environ["N"]); names = ["loss", "accuracy", "lr", "grad_norm"]
run = OneServiceRun(base_url=os.environ["URL"], api_token=os.environ["TOKEN"], tenant="demo-tenant", project="bench",
                    run_name="throughput", spool_dir=tempfile.mkdtemp(), capture_console=False, system_metrics=False,
                    exit_hooks=False, batch_size=int(os.environ.get("BATCH", "20000")), max_queue=int(os.environ.get("MAX_QUEUE", "400000")),
                    max_inflight=int(os.environ["INFLIGHT"]))
run.wait_until_created(30)
t = time.perf_counter()
for i in range(n // 4):
    run.log_metrics({"loss": 1.0 / (i + 1), "accuracy": i * 1e-6, "lr": 3e-4, "grad_norm": 0.5}, step=i)
logged = time.perf_counter() - t
ok = run.finish(timeout=600)
total = time.perf_counter() - t
print(json.dumps({"points": n // 4 * 4, "seconds": total, "logged": logged, "ok": ok, "run_id": run.server_run_id}))
`;

// (c) The producer-side cost of one call, and the sender's encoding cost a point, the platform not involved.
const CALL_COST = `import runpy; runpy.run_path(${JSON.stringify(path.join(ROOT, 'monitor-sdk', 'python', 'bench', 'call_cost.py'))}, run_name="__main__")`;

// (b) MLflow: its own server process, its own client, log_batch in chunks of 1,000 metrics.
const MLFLOW_THROUGHPUT = `
import json, os, time
from mlflow.tracking import MlflowClient
from mlflow.entities import Metric
n = int(os.environ["N"]); client = MlflowClient(tracking_uri=os.environ["URL"])
exp = client.create_experiment("bench-%d" % time.time_ns())
run = client.create_run(exp)
ts = int(time.time() * 1000); names = ["loss", "accuracy", "lr", "grad_norm"]
t = time.perf_counter()
batch = []
for i in range(n // 4):
    for name in names:
        batch.append(Metric(name, 0.5, ts, i))
    if len(batch) >= 1000:
        client.log_batch(run.info.run_id, metrics=batch); batch = []
if batch:
    client.log_batch(run.info.run_id, metrics=batch)
print(json.dumps({"points": n // 4 * 4, "seconds": time.perf_counter() - t}))
`;

function prepareMlflow() {
  try {
    mkdirSync(BENCH_DIR, { recursive: true });
    const py = path.join(MLFLOW_VENV, 'bin', 'python');
    if (!existsSync(py)) execFileSync(PYTHON, ['-m', 'venv', MLFLOW_VENV], { stdio: 'ignore' });
    if (spawnSync(py, ['-c', 'import mlflow'], { stdio: 'ignore' }).status !== 0) {
      console.log('  installing mlflow into .bench/mlflow-venv …');
      const pip = spawnSync(py, ['-m', 'pip', 'install', '--quiet', 'mlflow'], { encoding: 'utf8', timeout: 900_000 });
      if (pip.status !== 0) return { error: `pip install mlflow failed: ${(pip.stderr || String(pip.error)).trim().split('\n').slice(-2).join(' ')}` };
    }
    return { python: py, mlflow: path.join(MLFLOW_VENV, 'bin', 'mlflow') };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
}

// MLflow's telemetry thread edits os.environ while requests iterates it, which killed a run with
// KeyError '_MLFLOW_TELEMETRY_SESSION_ID'; it is no part of what is measured, so it is off.
const MLFLOW_QUIET = { MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };

async function mlflowThroughput(points) {
  const setup = prepareMlflow();
  if (setup.error) return setup;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-mlflow-'));
  const port = await freePort();
  const server = spawn(setup.mlflow, ['server', '--backend-store-uri', `sqlite:///${dir}/mlflow.db`, '--default-artifact-root', `${dir}/artifacts`, '--host', '127.0.0.1', '--port', String(port), '--workers', '1'], {
    stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...MLFLOW_QUIET },
  });
  let output = '';
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (server.exitCode !== null) return { error: `mlflow server exited: ${output.slice(-500)}` };
      if (Date.now() > deadline) return { error: 'mlflow server not ready in 120 s' };
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return python(MLFLOW_THROUGHPUT, { N: String(points), URL: `http://127.0.0.1:${port}`, ...MLFLOW_QUIET }, setup.python);
  } catch (error) {
    return { error: String(error.message ?? error) };
  } finally {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function api(baseUrl, token, method, url, body) {
  const response = await fetch(`${baseUrl}${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json', 'content-encoding': 'gzip' } : {}) },
    body: body ? gzipSync(JSON.stringify(body)) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** A 1M-point run at 20 points/s (steps 0…N-1, 50 ms apart), sent as 50k-point batches. */
async function seedLongRun(baseUrl, token, points) {
  const clientRunId = `bench-1m-${randomUUID().slice(0, 8)}`;
  const t0 = Date.now() - points * 50;
  let runId = null;
  for (let from = 0; from < points; from += 50_000) {
    const metrics = [];
    for (let step = from; step < Math.min(points, from + 50_000); step += 1) {
      metrics.push({ name: 'loss', value: step === 654_321 ? 1e6 : Math.exp(-step / 2e5) + ((step * 7919) % 100) / 1e4, step, ts: t0 + step * 50 });
    }
    const answer = await api(baseUrl, token, 'POST', '/api/v1/ingest/batch', { batch_id: randomUUID(), run: { client_run_id: clientRunId, project: 'bench-series' }, metrics });
    runId = answer.run_id;
  }
  return runId;
}

/** 10k runs through the ingest route, 8 at a time, each with a summary metric and a tag. */
async function seedRuns(baseUrl, token, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await api(baseUrl, token, 'POST', '/api/v1/ingest/batch', {
        batch_id: randomUUID(),
        run: { client_run_id: `bench-list-${i}`, project: 'bench-list', name: `run-${i}`, tags: { exp: `e${i % 50}` }, params: { lr: (i % 10) / 1000 } },
        metrics: [{ name: 'accuracy', value: (i % 997) / 997, step: 0, ts: Date.now() }],
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Time from a monitor_sdk log_metric to the SSE `metrics` event carrying it (Python logs, node listens). */
async function sseLatency(baseUrl, token, samples) {
  const sdk = spawn(PYTHON, ['-u', '-c', `
import sys, tempfile, time
from monitor_sdk import OneServiceRun
run = OneServiceRun(base_url=sys.argv[1], api_token=sys.argv[2], tenant="demo-tenant", project="bench", run_name="sse",
                    spool_dir=tempfile.mkdtemp(), capture_console=False, system_metrics=False, exit_hooks=False, flush_interval=0.5)
print("RUN", run.wait_until_created(30), flush=True)
for line in sys.stdin:
    step = int(line)
    print("SENT", step, time.time() * 1000, flush=True)
    run.log_metric("latency_probe", float(step), step=step)
run.finish(timeout=30)
`, baseUrl, token], { env: { ...process.env, PYTHONPATH: SDK_SRC }, stdio: ['pipe', 'pipe', 'inherit'] });
  const nextLine = lineReader(sdk.stdout);
  const runId = (await nextLine()).split(' ')[1];
  const seen = new Map();
  let onSeen = null;
  const stream = httpRequest(`${baseUrl}/api/v1/runs/${runId}/stream`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
    let text = '';
    res.on('data', (chunk) => {
      text += chunk;
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        if (!block.includes('event: metrics')) continue;
        const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
        for (const p of data.points) if (p.name === 'latency_probe') seen.set(p.step, Date.now());
        onSeen?.();
      }
    });
  });
  stream.end();
  await new Promise((r) => setTimeout(r, 500));
  const latencies = [];
  for (let step = 0; step < samples; step += 1) {
    sdk.stdin.write(`${step}\n`);
    const sentAt = Number((await nextLine()).split(' ')[2]);
    const deadline = Date.now() + 10_000;
    while (!seen.has(step) && Date.now() < deadline) await new Promise((r) => ((onSeen = r), setTimeout(r, 50)));
    if (seen.has(step)) latencies.push(seen.get(step) - sentAt);
    // Spread the probes over the SDK's flush cycle, as real calls would be.
    await new Promise((r) => setTimeout(r, 137));
  }
  sdk.stdin.end();
  stream.destroy();
  await new Promise((r) => sdk.once('exit', r));
  return latencies;
}

const cpuProf = process.env.NODE_CPU_PROF;
const platform = await startPlatform({ env: { LOG_LEVEL: 'warn' }, nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [] });
try {
  const token = await createApiToken(platform.baseUrl, 'ml_engineer@demo-tenant.local', ['ingest', 'read', 'write']);
  const base = platform.baseUrl;
  console.log(`training data plane, platform at ${base} (${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''})`);

  if (runs('a')) {
    console.log('\n(a)/(b) metric points/s, one client, batched');
    // The SDK's default (one batch in flight) and max_inflight=2; the ratio to MLflow takes the better.
    let sdkRate = 0;
    for (const inflight of [1, 2]) {
      const sdkRun = python(SDK_THROUGHPUT, { URL: base, TOKEN: token, N: String(POINTS), INFLIGHT: String(inflight) });
      const rate = sdkRun.points / sdkRun.seconds;
      sdkRate = Math.max(sdkRate, rate);
      figure(`monitor_sdk → OneService → PostgreSQL, ${inflight} in flight`, `${fmt(rate)} points/s (${fmt(sdkRun.points)} points in ${sdkRun.seconds.toFixed(1)} s, logged in ${sdkRun.logged.toFixed(1)} s, all acknowledged: ${sdkRun.ok})`, '≥ 200,000');
    }
    if (runs('b')) {
      const mlflowPoints = Math.min(POINTS, Number(process.env.BENCH_MLFLOW_POINTS ?? 100_000));
      const mlflow = await mlflowThroughput(mlflowPoints);
      if (mlflow.error) {
        figure('MLflow tracking server (sqlite), log_batch × 1,000', `not measured: ${mlflow.error}`);
      } else {
        const mlflowRate = mlflow.points / mlflow.seconds;
        figure('MLflow tracking server (sqlite), log_batch × 1,000', `${fmt(mlflowRate)} points/s (${fmt(mlflow.points)} points in ${mlflow.seconds.toFixed(1)} s)`);
        figure('ratio OneService / MLflow', `${fmt(sdkRate / mlflowRate, 1)}×`, '≥ 50×');
      }
    }
  }

  if (runs('c')) {
    console.log('\n(c) log_metric call cost');
    const cost = python(CALL_COST);
    figure('log_metric median', `${cost.median_us.toFixed(2)} µs (p99 ${cost.p99_us.toFixed(2)} µs)`, '≤ 5 µs');
    figure('SDK batch encoding', `${cost.encode_us_per_point.toFixed(2)} µs a point`);
  }

  if (runs('d')) {
    console.log(`\n(d) series, ${fmt(POINTS)} points → 1,000 buckets, over HTTP`);
    const longRun = await seedLongRun(base, token, POINTS);
    for (const by of ['step', 'time']) {
      await api(base, token, 'GET', `/api/v1/runs/${longRun}/metrics?name=loss&by=${by}&points=1000`);
      const t = await timed(40, () => api(base, token, 'GET', `/api/v1/runs/${longRun}/metrics?name=loss&by=${by}&points=1000`));
      figure(`series by ${by}`, `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`, '≤ 50 ms p95');
    }
  }

  if (runs('e')) {
    console.log(`\n(e) GET /runs with ${fmt(RUNS)} runs, over HTTP`);
    const seedStart = performance.now();
    await seedRuns(base, token, RUNS);
    console.log(`  (seeded ${fmt(RUNS)} runs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s)`);
    for (const [label, query] of [['newest first', ''], ['sort=-metric.accuracy', '&sort=-metric.accuracy'], ['tag=exp:e7', '&tag=exp:e7']]) {
      const t = await timed(40, () => api(base, token, 'GET', `/api/v1/runs?project=bench-list&page_size=50${query}`));
      figure(`GET /runs ${label}`, `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`, '≤ 500 ms p95');
    }
  }

  if (runs('f')) {
    console.log('\n(f) SDK call → SSE event');
    const latencies = await sseLatency(base, token, 40);
    figure('log_metric → SSE metrics event', latencies.length ? `p50 ${fmt(pct(latencies, 50))} ms, p95 ${fmt(pct(latencies, 95))} ms (${latencies.length}/40 seen)` : 'no event arrived', '≤ 1 s');
  }

  console.log('\nsummary');
  for (const f of figures) console.log(`  ${f.name.padEnd(52)} ${f.value}${f.aim ? `  [aim ${f.aim}]` : ''}`);
} catch (error) {
  // Say why: the platform's own last words matter more than the client's ECONNREFUSED.
  // fetch's own message ('fetch failed') hides the reason; it is in the cause (reset, refused, timeout).
  console.log(`bench failed: ${error?.stack ?? error}${error?.cause ? `\n  cause: ${error.cause.code ?? ''} ${error.cause.message ?? error.cause}` : ''}`);
  console.log(`platform exit: ${platform.child.exitCode ?? platform.child.signalCode ?? 'still running'}; its last output:\n${platform.output().slice(-3000)}`);
  process.exitCode = 1;
} finally {
  await platform.stop();
}
