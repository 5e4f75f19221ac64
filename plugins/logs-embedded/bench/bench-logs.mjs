// Quick figure for the embedded logs store: write throughput, full-text query latency, and how
// long a followed line takes from write() to being handed out by follow() (the SSE path's cost).
//   npm run build && DATABASE_URL=postgres://… node plugins/logs-embedded/bench/bench-logs.mjs
// Env: BENCH_RECORDS (default 100000), BENCH_BATCH (records per write, default 5000),
// BENCH_CONCURRENCY (writes in flight, default 1), BENCH_QUERIES (default 200).
// Writes under a fresh random tenant and deletes its rows at the end.
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { migrations } from '../dist/server/migrations/index.js';
import { PostgresLogStore } from '../dist/server/postgres-log-store.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const total = Number(process.env.BENCH_RECORDS ?? 100_000);
const batch = Number(process.env.BENCH_BATCH ?? 5_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);

const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: Math.max(4, concurrency) } });
// Same bookkeeping table name as the kernel uses for this plugin, so running the bench on a
// platform database neither re-applies nor confuses its migrations.
const names = Object.keys(migrations).sort();
await knex.migrate.latest({
  tableName: 'migrations_logs_embedded',
  migrationSource: { getMigrations: async () => names, getMigrationName: (n) => n, getMigration: async (n) => migrations[n] },
});

const tenantId = randomUUID();
const store = new PostgresLogStore(knex, tenantId);
const words = ['checkpoint', 'gradient', 'allocator', 'dataloader', 'optimizer', 'scheduler', 'database', 'timeout', 'refused', 'evaluation', 'tokenizer', 'shard', 'replica', 'barrier', 'nccl', 'cuda', 'memory', 'latency', 'throughput', 'warmup'];
const services = ['trainer', 'api', 'scheduler', 'evaluator', 'agent'];
const levels = ['debug', 'info', 'info', 'info', 'warn', 'error'];
const pick = (list, i) => list[i % list.length];
const start = Date.now() - total;
const record = (i) => ({
  ts: start + i,
  level: pick(levels, i * 7),
  service: pick(services, i * 3),
  host: `node-${i % 16}`,
  runId: `run-${i % 50}`,
  message: `${pick(words, i)} ${pick(words, i * 13 + 5)} step ${i} took ${(i % 997) / 10} ms on rank ${i % 8} ${pick(words, i * 31 + 11)}`,
  fields: { step: i, rank: i % 8, loss: (i % 1000) / 1000 },
});

try {
  const t0 = performance.now();
  let nextBatch = 0;
  const writer = async () => {
    for (let i = nextBatch; i < total; i = nextBatch) {
      nextBatch += batch;
      await store.write(Array.from({ length: Math.min(batch, total - i) }, (_, j) => record(i + j)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const writeSeconds = (performance.now() - t0) / 1000;
  await knex.raw('ANALYZE log_records');

  const shapes = [
    ['term', (i) => pick(words, i)],
    ['two terms', (i) => `${pick(words, i)} AND ${pick(words, i + 7)}`],
    ['rare phrase', (i) => `"step ${(i * 37) % total} took"`],
    ['prefix* AND level', (i) => `${pick(words, i).slice(0, 4)}* AND level:error`],
    ['field AND NOT term', (i) => `service:${pick(services, i)} AND NOT ${pick(words, i + 3)}`],
  ];
  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
  const latencies = [];
  const byShape = new Map(shapes.map(([name]) => [name, []]));
  for (let i = 0; i < queryCount; i++) {
    const [name, make] = shapes[i % shapes.length];
    const q0 = performance.now();
    await store.search({ query: make(i), limit: 100 });
    const ms = performance.now() - q0;
    latencies.push(ms);
    byShape.get(name).push(ms);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => percentile(latencies, p);
  const h0 = performance.now();
  await store.histogram({ from: start, to: start + total, buckets: 60, query: pick(words, 1) });
  const histogramMs = performance.now() - h0;

  // Follow: a line written to a run of the big table, then one follow() from the previous cursor;
  // once with nothing else open, once with a slow writer's batch held open the whole time (the
  // cursor must neither wait for it nor lose it).
  const followRounds = Number(process.env.BENCH_FOLLOW ?? 100);
  const followFigure = async (label) => {
    let { next } = await store.follow({ runId: 'run-7', limit: 1 });
    const times = [];
    for (let i = 0; i < followRounds; i++) {
      const f0 = performance.now();
      await store.write([{ ...record(i), runId: 'run-7', message: `followed ${i}` }]);
      const page = await store.follow({ runId: 'run-7', cursor: next, limit: 500 });
      times.push(performance.now() - f0);
      if (page.items.length !== 1) throw new Error(`follow handed out ${page.items.length} lines, expected 1`);
      next = page.next;
    }
    times.sort((a, b) => a - b);
    return { text: `${label}: p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms`, next };
  };
  const followQuiet = (await followFigure('write 1 line → follow() hands it out')).text;
  const slow = await knex.transaction();
  await new PostgresLogStore(slow, tenantId).write([{ ...record(0), runId: 'run-7', message: 'slow batch' }]);
  const held = await followFigure('  the same with a slow batch held open');
  const followHeld = held.text;
  await slow.commit();
  const late = await store.follow({ runId: 'run-7', cursor: held.next });
  if (late.items.map((i) => i.message).join() !== 'slow batch') throw new Error('the slow batch was not handed out after its commit');

  console.log(`records written: ${total} in ${writeSeconds.toFixed(2)} s = ${Math.round(total / writeSeconds)} records/s (batches of ${batch}, ${concurrency} in flight)`);
  console.log(`full-text search (limit 100), ${queryCount} queries: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  for (const [name, list] of byShape) {
    list.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(20)} p50 ${percentile(list, 50)} ms  p95 ${percentile(list, 95)} ms`);
  }
  console.log(`histogram (60 buckets, one term, over all ${total}): ${histogramMs.toFixed(1)} ms`);
  console.log(`follow, ${followRounds} rounds over ${total} records: ${followQuiet}`);
  console.log(followHeld);
} finally {
  await knex('log_records').where('tenant_id', tenantId).delete();
  await knex.destroy();
}
