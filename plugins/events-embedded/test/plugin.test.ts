import path from 'node:path';
import { eventsPort } from '@oneservice/plugin-sdk';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing/contracts';
import plugin from '../src/server/index.js';
import { PostgresEventStore } from '../src/server/postgres-event-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: eventsPort, providerId: 'embedded', instanceOf: PostgresEventStore });
