// Where a point write's time goes: the whole write path, then each part of it (Node and PostgreSQL) timed alone,
// on a throw-away test database, for a batch shaped like monitor_sdk's (4 metrics per step).
// `node plugins/run-metrics-postgres/bench/write-cost.mjs` after `npm run build` (it starts the built
// platform for its PostgreSQL unless TEST_DATABASE_URL names one). Prints, never asserts.
import { createTestDatabase } from '../../../plugin-sdk/dist/testing/database.js';
import { randomUUID } from 'node:crypto';
import plugin from '../dist/server/index.js';
import { CHUNK_COPY_SQL, chunkCopyPayload } from '../dist/server/chunk-copy.js';
import { copyFrom } from '../dist/server/pg-copy.js';
import { PostgresRunMetrics } from '../dist/server/postgres-run-metrics.js';
import { TILE_UPSERT_SQL, tileParams, tilesOf } from '../dist/server/tiles.js';

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

  // The same write by parts, each timed alone on fresh batches of the same shape: Node's encoding and
  // each statement of the transaction (the idempotency key and summary UPSERT are a row or four).
  const knex = database.knex;
  const parts = { 'Node: tiles + their params': 0, 'Node: chunk COPY payload': 0, 'PostgreSQL: chunk COPY': 0, 'PostgreSQL: tile UPSERT': 0, 'PostgreSQL: COMMIT': 0 };
  let tileRows = 0;
  const client = await knex.client.acquireConnection();
  try {
    for (let b = 0; b < BATCHES; b += 1) {
      const points = make();
      step += BATCH / 4;
      let t = performance.now();
      const tiles = tilesOf(points);
      const params = tileParams(tenant, tiles);
      tileRows += tiles.length;
      parts['Node: tiles + their params'] += performance.now() - t;
      t = performance.now();
      const { payload } = chunkCopyPayload(tenant, points);
      parts['Node: chunk COPY payload'] += performance.now() - t;
      await client.query('BEGIN');
      t = performance.now();
      await copyFrom(client, CHUNK_COPY_SQL, payload);
      parts['PostgreSQL: chunk COPY'] += performance.now() - t;
      t = performance.now();
      await client.query(TILE_UPSERT_SQL, params);
      parts['PostgreSQL: tile UPSERT'] += performance.now() - t;
      t = performance.now();
      await client.query('COMMIT');
      parts['PostgreSQL: COMMIT'] += performance.now() - t;
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
  for (const [label, ms] of Object.entries(parts)) console.log(`  ${label.padEnd(34)} ${(ms * 1000 / (BATCH * BATCHES)).toFixed(2)} µs/point`);
  console.log(`  tile rows a batch: ${Math.round(tileRows / BATCHES)}`);
  const sizes = await knex.raw(`SELECT pg_total_relation_size('run_metric_chunks') AS chunks, (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('run_metric_tiles')) AS tiles`);
  const stored = BATCH * BATCHES * 2;
  console.log(`  bytes a point: chunks ${(sizes.rows[0].chunks / stored).toFixed(1)}, tiles ${(sizes.rows[0].tiles / stored).toFixed(1)}`);
  const settings = await knex.raw(`SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit','fsync','wal_level','shared_buffers','max_wal_size','full_page_writes','lc_collate') UNION ALL SELECT 'datcollate', datcollate FROM pg_database WHERE datname = current_database()`);
  console.log('  settings:', settings.rows.map((r) => `${r.name}=${r.setting}`).join(' '));
} finally {
  await database.drop();
  await platform?.stop();
}
