import { definePlugin } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresTraceStore } from './postgres-trace-store.js';

export { PostgresTraceStore } from './postgres-trace-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    ctx.provide('traces', {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresTraceStore(ctx.db.knex, tenantId),
    });
  },
});
