import { definePlugin, logsPort } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresLogStore } from './postgres-log-store.js';

export { PostgresLogStore } from './postgres-log-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    // A platform-wide data plane: instances are bound to a tenant by the store, not by the connection.
    const knex = ctx.db.platform('logs store: one table holds every tenant\'s records; each statement names tenant_id');
    ctx.provide(logsPort, {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresLogStore(knex, tenantId),
    });
  },
});
