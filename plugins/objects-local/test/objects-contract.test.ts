import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@oneservice/plugin-sdk/testing';
import { describeObjectsContract } from '@oneservice/plugin-sdk/testing/contracts';
import { LocalObjectStore } from '../src/server/local-object-store.js';
import { migrations } from '../src/server/migrations/index.js';

describeObjectsContract('objects-local', async () => {
  const database = await createTestDatabase();
  for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'objects-local-'));
  const root = path.join(dataDir, 'objects');
  return {
    tenantA: new LocalObjectStore(database.knex, randomUUID(), root),
    tenantB: new LocalObjectStore(database.knex, randomUUID(), root),
    async cleanup() {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
