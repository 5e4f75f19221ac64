import path from 'node:path';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing';
import plugin from '../src/server/index.js';
import { PostgresEventStore } from '../src/server/postgres-event-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: 'events', providerId: 'embedded', instanceOf: PostgresEventStore });
