import { definePlugin } from '@oneservice/plugin-sdk';
import path from 'node:path';
import { LocalObjectStore } from './local-object-store.js';
import { migrations } from './migrations/index.js';

export { LocalObjectStore } from './local-object-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    const root = path.join(ctx.config.dataDir, 'objects');
    ctx.provide('objects', {
      id: 'local',
      isDefault: true,
      create: ({ tenantId }) => new LocalObjectStore(ctx.db.knex, tenantId, root),
    });
  },
});
