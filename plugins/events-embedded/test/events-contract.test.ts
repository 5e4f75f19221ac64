import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeEventsContract } from '@oneservice/plugin-sdk/testing/contracts';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresEventStore } from '../src/server/postgres-event-store.js';

describeEventsContract('events-embedded', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  const tenantA = randomUUID();
  return {
    tenantA: new PostgresEventStore(database.knex, tenantA),
    tenantB: new PostgresEventStore(database.knex, randomUUID()),
    // The store's own write, inside a transaction the test commits: a writer slow to commit.
    async holdWrite(events) {
      const trx = await database.knex.transaction();
      await new PostgresEventStore(trx, tenantA).write(events);
      return { commit: async () => void (await trx.commit()) };
    },
    cleanup: () => database.drop(),
  };
});
