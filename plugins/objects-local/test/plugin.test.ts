import path from 'node:path';
import { describeProviderPlugin } from '@oneservice/plugin-sdk/testing';
import plugin from '../src/server/index.js';
import { LocalObjectStore } from '../src/server/local-object-store.js';

describeProviderPlugin({ dir: path.resolve(import.meta.dirname, '..'), plugin, port: 'objects', providerId: 'local', instanceOf: LocalObjectStore });
