import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeLogsContract } from '@oneservice/plugin-sdk/testing/contracts';
import { PostgresLogStore } from '../src/server/postgres-log-store.js';
import { migrations } from '../src/server/migrations/index.js';

describeLogsContract('logs-embedded', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  const tenantA = randomUUID();
  return {
    tenantA: new PostgresLogStore(database.knex, tenantA),
    tenantB: new PostgresLogStore(database.knex, randomUUID()),
    // The store's own write, inside a transaction the test commits: a writer slow to commit.
    async holdWrite(records) {
      const trx = await database.knex.transaction();
      await new PostgresLogStore(trx, tenantA).write(records);
      return { commit: async () => void (await trx.commit()) };
    },
    cleanup: () => database.drop(),
  };
});
