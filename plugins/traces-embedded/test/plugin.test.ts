import path from 'node:path';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing';
import plugin from '../src/server/index.js';
import { PostgresTraceStore } from '../src/server/postgres-trace-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: 'traces', providerId: 'embedded', instanceOf: PostgresTraceStore });
