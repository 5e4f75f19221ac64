import { definePlugin, tracesPort } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresTraceStore } from './postgres-trace-store.js';

export { PostgresTraceStore } from './postgres-trace-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    // A platform-wide data plane: instances are bound to a tenant by the store, not by the connection.
    const knex = ctx.db.platform('traces store: one table holds every tenant\'s spans; each statement names tenant_id');
    ctx.provide(tracesPort, {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresTraceStore(knex, tenantId),
    });
  },
});
