import { definePlugin } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresLogStore } from './postgres-log-store.js';

export { PostgresLogStore } from './postgres-log-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    ctx.provide('logs', {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresLogStore(ctx.db.knex, tenantId),
    });
  },
});
