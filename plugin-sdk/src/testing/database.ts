import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';

export interface TestDatabase {
  url: string;
  knex: Knex;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test PostgreSQL server (TEST_DATABASE_URL, started by jest's
 * global setup), so each test file works on its own data.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run tests through `npm test` (jest global setup starts PostgreSQL)');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
  return {
    url: url.toString(),
    knex,
    async drop() {
      await knex.destroy();
      const cleanup = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      await cleanup.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.destroy();
    },
  };
}
