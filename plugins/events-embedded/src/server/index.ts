import { definePlugin, eventsPort } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresEventStore } from './postgres-event-store.js';

export { PostgresEventStore } from './postgres-event-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    // A platform-wide data plane: instances are bound to a tenant by the store, not by the connection.
    const knex = ctx.db.platform('events store: one table holds every tenant\'s events; each statement names tenant_id');
    ctx.provide(eventsPort, {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresEventStore(knex, tenantId),
    });
  },
});
