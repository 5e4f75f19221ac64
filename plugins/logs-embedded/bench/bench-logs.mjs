// Quick figure for the embedded logs store: write throughput, full-text query latency, and how
// long a followed line takes from write() to being handed out by follow() (the SSE path's cost).
//   npm run build && node plugins/logs-embedded/bench/bench-logs.mjs   (`npm run bench` runs it)
// Against DATABASE_URL when set, else a throw-away embedded PostgreSQL (scripts/lib/embedded-postgres.mjs).
// Env: BENCH_RECORDS (default 100000), BENCH_BATCH (records per write, default 5000),
// BENCH_CONCURRENCY (writes in flight, default 1), BENCH_QUERIES (default 200).
// Writes under a fresh random tenant and deletes its rows at the end.
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { benchDatabase } from '../../../scripts/lib/embedded-postgres.mjs';
import { followLines, measureFollow } from '../../../scripts/lib/follow-latency.mjs';
// The kernel's own migrate: same bookkeeping table, so a bench on a platform's database neither re-applies nor confuses its migrations.
import { migrate } from '../../../core/dist/db/migrate.js';
import { migrations } from '../dist/server/migrations/index.js';
import { PostgresLogStore } from '../dist/server/postgres-log-store.js';

const database = await benchDatabase();
const url = database.url;
const total = Number(process.env.BENCH_RECORDS ?? 100_000);
const batch = Number(process.env.BENCH_BATCH ?? 5_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);

const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: Math.max(4, concurrency) } });

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
  await migrate(knex, 'logs-embedded', migrations);
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

  // Follow: a line written to a run of the big table, then one follow() from the previous cursor.
  const followRounds = Number(process.env.BENCH_FOLLOW ?? 100);
  const followed = await measureFollow({
    rounds: followRounds,
    follow: (cursor) => store.follow({ runId: 'run-7', limit: cursor === undefined ? 1 : 500, cursor }),
    write: (i) => store.write([{ ...record(i), runId: 'run-7', message: `followed ${i}` }]),
    async hold() {
      const slow = await knex.transaction();
      await new PostgresLogStore(slow, tenantId).write([{ ...record(0), runId: 'run-7', message: 'slow batch' }]);
      return { commit: async () => void (await slow.commit()) };
    },
  });

  console.log(`records written: ${total} in ${writeSeconds.toFixed(2)} s = ${Math.round(total / writeSeconds)} records/s (batches of ${batch}, ${concurrency} in flight)`);
  console.log(`full-text search (limit 100), ${queryCount} queries: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  for (const [name, list] of byShape) {
    list.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(20)} p50 ${percentile(list, 50)} ms  p95 ${percentile(list, 95)} ms`);
  }
  console.log(`histogram (60 buckets, one term, over all ${total}): ${histogramMs.toFixed(1)} ms`);
  for (const line of followLines('logs', followRounds, total, followed)) console.log(line);
} finally {
  await knex('log_records').where('tenant_id', tenantId).delete().catch(() => undefined);
  await knex.destroy();
  await database.stop();
}
