import path from 'node:path';
import { runMetricsPort } from '@oneservice/plugin-sdk';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing/contracts';
import plugin from '../src/server/index.js';
import { PostgresRunMetrics } from '../src/server/postgres-run-metrics.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: runMetricsPort, providerId: 'postgres', instanceOf: PostgresRunMetrics });
