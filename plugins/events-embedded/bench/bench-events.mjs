// Figures for the embedded events store: write throughput, and how long a followed event takes from
// write() to being handed out by follow() (what a live K8s events page or run timeline pays).
//   npm run build && node plugins/events-embedded/bench/bench-events.mjs   (`npm run bench` runs it)
// Against DATABASE_URL when set, else a throw-away embedded PostgreSQL (scripts/lib/embedded-postgres.mjs).
// Env: BENCH_EVENTS (stored first, default 100000), BENCH_FOLLOW (rounds, default 100).
// Writes under a fresh random tenant and deletes its rows at the end.
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
// The kernel's own migrate: same bookkeeping table, so a bench on a platform's database neither re-applies nor confuses its migrations.
import { migrate } from '../../../core/dist/db/migrate.js';
import { benchDatabase } from '../../../scripts/lib/embedded-postgres.mjs';
import { followLines, measureFollow } from '../../../scripts/lib/follow-latency.mjs';
import { migrations } from '../dist/server/migrations/index.js';
import { PostgresEventStore } from '../dist/server/postgres-event-store.js';

const total = Number(process.env.BENCH_EVENTS ?? 100_000);
const rounds = Number(process.env.BENCH_FOLLOW ?? 100);
const batch = 5_000;

const database = await benchDatabase();
const knex = knexFactory({ client: 'pg', connection: database.url, pool: { min: 1, max: 4 } });
const tenantId = randomUUID();
try {
  await migrate(knex, 'events-embedded', migrations);
  const store = new PostgresEventStore(knex, tenantId);
  const types = ['FailedScheduling', 'ImagePullBackOff', 'OOMKilled', 'BackOff', 'Scheduled', 'Pulled', 'checkpoint_saved', 'run_status'];
  const start = Date.now() - total;
  const event = (i) => ({
    ts: start + i,
    type: types[i % types.length],
    source: i % 3 === 0 ? 'run' : 'k8s',
    severity: i % 11 === 0 ? 'warning' : 'info',
    message: `event ${i} on node-${i % 16}`,
    runId: `run-${i % 50}`,
    attributes: { namespace: `ns-${i % 4}`, pod: `pod-${i % 200}`, node: `node-${i % 16}` },
  });

  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) await store.write(Array.from({ length: Math.min(batch, total - i) }, (_, j) => event(i + j)));
  const writeSeconds = (performance.now() - t0) / 1000;
  await knex.raw('ANALYZE event_records');

  // The run-7 timeline, followed: one event written, then one follow() from the previous cursor.
  const followed = await measureFollow({
    rounds,
    follow: (cursor) => store.follow({ runId: 'run-7', limit: cursor === undefined ? 1 : 500, cursor }),
    write: (i) => store.write([{ ...event(i), runId: 'run-7', type: 'followed' }]),
    async hold() {
      const slow = await knex.transaction();
      await new PostgresEventStore(slow, tenantId).write([{ ...event(0), runId: 'run-7', type: 'slow_batch' }]);
      return { commit: async () => void (await slow.commit()) };
    },
  });

  console.log(`events written: ${total} in ${writeSeconds.toFixed(2)} s = ${Math.round(total / writeSeconds)} events/s (batches of ${batch})`);
  for (const line of followLines('events', rounds, total, followed)) console.log(line);
} finally {
  await knex('event_records').where('tenant_id', tenantId).delete().catch(() => undefined);
  await knex.destroy();
  await database.stop();
}
