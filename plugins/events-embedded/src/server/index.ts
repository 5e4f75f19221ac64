import { definePlugin } from '@oneservice/plugin-sdk';
import { migrations } from './migrations/index.js';
import { PostgresEventStore } from './postgres-event-store.js';

export { PostgresEventStore } from './postgres-event-store.js';
export { migrations } from './migrations/index.js';

export default definePlugin({
  migrations,
  setup(ctx) {
    ctx.provide('events', {
      id: 'embedded',
      isDefault: true,
      create: ({ tenantId }) => new PostgresEventStore(ctx.db.knex, tenantId),
    });
  },
});
