import { randomUUID } from 'node:crypto';
import { createTestDatabase, describeLogsContract } from '@oneservice/plugin-sdk/testing';
import { PostgresLogStore } from '../src/server/postgres-log-store.js';
import { migrations } from '../src/server/migrations/index.js';

describeLogsContract('logs-embedded', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  return {
    tenantA: new PostgresLogStore(database.knex, randomUUID()),
    tenantB: new PostgresLogStore(database.knex, randomUUID()),
    cleanup: () => database.drop(),
  };
});
