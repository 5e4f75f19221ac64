import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createKernelHooks } from '../../hooks.js';
import { pluginManifestSchema } from '../../manifest.js';
import type { PluginContext } from '../../context.js';
import type { PluginDefinition } from '../../plugin.js';
import type { PortProvider, PortRef } from '../../ports/index.js';

export interface ProviderPluginExpectation {
  /** The plugin folder (holding plugin.json). */
  dir: string;
  plugin: PluginDefinition;
  port: PortRef<unknown>;
  providerId: string;
  /** The class its provider's instances are made of. */
  instanceOf: abstract new (...args: never[]) => unknown;
}

/**
 * Checks a port-provider plugin's wiring without a kernel: a strict manifest that provides the port
 * from its server entry, migrations, and a default provider that makes tenant-bound instances.
 */
export function describeProviderPlugin(expected: ProviderPluginExpectation): void {
  const id = path.basename(expected.dir);
  describe(`${id} plugin`, () => {
    it(`has a strict manifest that provides the ${expected.port.id} port from its server entry`, () => {
      const manifest = pluginManifestSchema.parse(JSON.parse(readFileSync(path.join(expected.dir, 'plugin.json'), 'utf8')));
      expect(manifest).toMatchObject({ id, kinds: ['datasource'], provides: [expected.port.id], server: 'src/server/index.ts' });
      expect(Object.keys(expected.plugin.migrations ?? {}).length).toBeGreaterThan(0);
    });

    it(`registers the default ${expected.port.id} provider, which makes tenant-bound instances`, async () => {
      const provided: { port: string; provider: PortProvider<unknown> }[] = [];
      // Only what a provider's setup may touch; the kernel's own checks of ctx are tested in core.
      const ctx = {
        db: { platform: () => ({}), forTenant: () => ({}) },
        hooks: createKernelHooks(),
        config: { dataDir: '/tmp/oneservice-test', publicUrl: 'http://localhost', settings: {} },
        provide: (port: PortRef<unknown>, provider: PortProvider<unknown>) => provided.push({ port: port.id, provider }),
      } as unknown as PluginContext;
      await expected.plugin.setup(ctx);
      expect(provided.map((p) => [p.port, p.provider.id, p.provider.isDefault])).toEqual([[expected.port.id, expected.providerId, true]]);
      const instance = await provided[0]?.provider.create({ tenantId: '6f1c1f3e-0000-4000-8000-000000000001', settings: {} });
      expect(instance).toBeInstanceOf(expected.instanceOf);
    });
  });
}
