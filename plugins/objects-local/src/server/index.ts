import { definePlugin, objectsPort } from '@oneservice/plugin-sdk';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LocalObjectStore } from './local-object-store.js';
import { migrations } from './migrations/index.js';

export { LocalObjectStore } from './local-object-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    const root = path.join(ctx.config.dataDir, 'objects');
    // A platform-wide data plane: instances are bound to a tenant by the store, not by the connection.
    const knex = ctx.db.platform('objects store: one table indexes every tenant\'s files; each statement names tenant_id');
    ctx.provide(objectsPort, {
      id: 'local',
      isDefault: true,
      create: ({ tenantId }) => new LocalObjectStore(knex, tenantId, root),
    });
    // The kernel deletes the tenant's rows; its files are ours to remove.
    ctx.hooks.tenantDeleted.tapPromise({ name: 'objects-local', stage: 0 }, async ({ tenantId }) => {
      await rm(path.join(root, tenantId), { recursive: true, force: true });
    });
  },
});
