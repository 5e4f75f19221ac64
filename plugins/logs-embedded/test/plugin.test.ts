import path from 'node:path';
import { logsPort } from '@oneservice/plugin-sdk';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing/contracts';
import plugin from '../src/server/index.js';
import { PostgresLogStore } from '../src/server/postgres-log-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: logsPort, providerId: 'embedded', instanceOf: PostgresLogStore });
