import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createKernelHooks, pluginManifestSchema, type PluginContext, type PortName, type PortProvider } from '@oneservice/plugin-sdk';
import plugin from '../src/server/index.js';
import { LocalObjectStore } from '../src/server/local-object-store.js';

describe('objects-local plugin', () => {
  const dir = path.resolve(import.meta.dirname, '..');

  it('has a strict manifest that provides the objects port from its server entry', () => {
    const manifest = pluginManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'plugin.json'), 'utf8')));
    expect(manifest).toMatchObject({ id: 'objects-local', kinds: ['datasource'], provides: ['objects'], server: 'src/server/index.ts' });
    expect(Object.keys(plugin.migrations ?? {}).length).toBeGreaterThan(0);
  });

  it('registers the default objects provider, which makes tenant-bound stores', async () => {
    const provided: Array<{ port: PortName; provider: PortProvider<PortName> }> = [];
    const ctx = {
      db: { knex: {} },
      config: { dataDir: '/tmp/oneservice-test', publicUrl: 'http://localhost', env: {} },
      hooks: createKernelHooks(),
      provide: (port: PortName, provider: PortProvider<PortName>) => provided.push({ port, provider }),
    } as unknown as PluginContext;
    await plugin.setup(ctx);
    expect(provided.map((p) => [p.port, p.provider.id, p.provider.isDefault])).toEqual([['objects', 'local', true]]);
    const store = await provided[0]?.provider.create({ tenantId: '6f1c1f3e-0000-4000-8000-000000000001', settings: {} });
    expect(store).toBeInstanceOf(LocalObjectStore);
  });
});
