import path from 'node:path';
import { objectsPort } from '@oneservice/plugin-sdk';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing/contracts';
import plugin from '../src/server/index.js';
import { LocalObjectStore } from '../src/server/local-object-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: objectsPort, providerId: 'local', instanceOf: LocalObjectStore });
