import path from 'node:path';
import { tracesPort } from '@oneservice/plugin-sdk';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing/contracts';
import plugin from '../src/server/index.js';
import { PostgresTraceStore } from '../src/server/postgres-trace-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: tracesPort, providerId: 'embedded', instanceOf: PostgresTraceStore });
