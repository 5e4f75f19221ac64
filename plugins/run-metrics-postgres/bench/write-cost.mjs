// Where a point write's time goes inside PostgreSQL: each statement of the write path timed alone,
// on a throw-away test database, for a batch shaped like monitor_sdk's (4 metrics per step).
// `node plugins/run-metrics-postgres/bench/write-cost.mjs` after `npm run build` (it starts the built
// platform for its PostgreSQL unless TEST_DATABASE_URL names one). Prints, never asserts.
import { createTestDatabase } from '../../../plugin-sdk/dist/testing/database.js';
import { randomUUID } from 'node:crypto';
import plugin from '../dist/server/index.js';
import { PostgresRunMetrics } from '../dist/server/postgres-run-metrics.js';

import { freePort, startPlatform } from '../../../scripts/lib/platform-process.mjs';

let platform = null;
if (!process.env.TEST_DATABASE_URL) {
  const pgPort = await freePort();
  platform = await startPlatform({ demo: false, pgPort });
  process.env.TEST_DATABASE_URL = `postgres://oneservice:oneservice@127.0.0.1:${pgPort}/postgres`;
}
const BATCH = Number(process.env.BATCH ?? 20_000);
const BATCHES = Number(process.env.BATCHES ?? 15);
const database = await createTestDatabase();
try {
  for (const [, m] of Object.entries(plugin.migrations).sort(([a], [b]) => a.localeCompare(b))) await m.up(database.knex);
  const tenant = randomUUID();
  const runId = randomUUID();
  const store = new PostgresRunMetrics(database.knex, tenant);
  const names = ['loss', 'accuracy', 'lr', 'grad_norm'];
  const t0 = Date.now();
  let step = 0;
  const make = () => Array.from({ length: BATCH }, (_, i) => ({ runId, name: names[i % 4], value: Math.random(), step: step + Math.floor(i / 4), epoch: null, ts: t0 + (step + i / 4) * 0.05 }));
  // CONCURRENCY writers share the batches, as a client with that many requests in flight would.
  const concurrency = Number(process.env.CONCURRENCY ?? 1);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < BATCHES) {
      next += 1;
      const points = make();
      step += BATCH / 4;
      await store.write(points, { idempotencyKey: randomUUID() });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  console.log(`whole write path: ${Math.round((BATCH * BATCHES) / seconds).toLocaleString('en')} points/s (${BATCHES} × ${BATCH}, ${concurrency} at a time)`);

  // The same write by statements, to see which costs what: each part of the transaction alone.
  const knex = database.knex;
  const time = async (label, work) => {
    const t = performance.now();
    await work();
    const ms = performance.now() - t;
    console.log(`  ${label.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms  ${(ms * 1000 / (BATCH * BATCHES)).toFixed(2)} µs/point`);
  };
  await time('COPY chunks (as stored)', () => knex.raw('CREATE TABLE c1 AS SELECT * FROM run_metric_chunks').then(() => knex.raw('INSERT INTO run_metric_chunks SELECT * FROM c1')));
  await time('tile UPSERT (all tiles once more)', () => knex.raw(`INSERT INTO run_metric_tiles SELECT * FROM run_metric_tiles ON CONFLICT (tenant_id, run_id, name, axis, width, bucket) DO UPDATE SET count = run_metric_tiles.count + EXCLUDED.count`));
  const sizes = await knex.raw(`SELECT t AS relname, (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree(t::regclass)) AS bytes FROM unnest(ARRAY['run_metric_chunks', 'run_metric_tiles']) t`);
  console.log('  sizes:', sizes.rows.map((r) => `${r.relname}=${(Number(r.bytes) / 1e6).toFixed(1)} MB`).join(' '), `(${((BATCH * BATCHES * 2) / 1e6).toFixed(1)}M points)`);
  const settings = await knex.raw(`SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit','fsync','wal_level','shared_buffers','max_wal_size','full_page_writes','lc_collate') UNION ALL SELECT 'datcollate', datcollate FROM pg_database WHERE datname = current_database()`);
  console.log('  settings:', settings.rows.map((r) => `${r.name}=${r.setting}`).join(' '));
} finally {
  await database.drop();
  await platform?.stop();
}
