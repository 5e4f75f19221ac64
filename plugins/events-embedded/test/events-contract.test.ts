import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeEventsContract } from '@oneservice/plugin-sdk/testing/contracts';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresEventStore } from '../src/server/postgres-event-store.js';

describeEventsContract('events-embedded', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  return {
    tenantA: new PostgresEventStore(database.knex, randomUUID()),
    tenantB: new PostgresEventStore(database.knex, randomUUID()),
    cleanup: () => database.drop(),
  };
});
