import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeTracesContract } from '@oneservice/plugin-sdk/testing/contracts';
import { migrations } from '../src/server/migrations/index.js';
import { PostgresTraceStore } from '../src/server/postgres-trace-store.js';

describeTracesContract('traces-embedded', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  return {
    tenantA: new PostgresTraceStore(database.knex, randomUUID()),
    tenantB: new PostgresTraceStore(database.knex, randomUUID()),
    cleanup: () => database.drop(),
  };
});
