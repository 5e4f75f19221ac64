import path from 'node:path';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing';
import plugin from '../src/server/index.js';
import { PostgresLogStore } from '../src/server/postgres-log-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: 'logs', providerId: 'embedded', instanceOf: PostgresLogStore });
