import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKernelHooks } from '@oneservice/plugin-sdk';
import { discoverPlugins } from '../src/plugins/discovery.js';

describe('plugin discovery', () => {
  it('finds plugins/*, extra paths and npm packages named oneservice-plugin-*, and reports unreadable manifests', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'discovery-'));
    const manifest = (id: string) => JSON.stringify({ id, version: '1.0.0', core: '^1.0.0', displayName: id, kinds: ['integration'] });
    const place = (dir: string, json: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'plugin.json'), json);
    };
    place(path.join(root, 'plugins', 'local-one'), manifest('local-one'));
    place(path.join(root, 'node_modules', 'oneservice-plugin-npm-one'), manifest('npm-one'));
    place(path.join(root, 'node_modules', '@acme', 'oneservice-plugin-scoped'), manifest('scoped-one'));
    place(path.join(root, 'node_modules', 'unrelated-package'), manifest('ignored'));
    place(path.join(root, 'extra', 'extra-one'), manifest('extra-one'));
    place(path.join(root, 'plugins', 'broken'), '{ "id": "broken", ');
    const { plugins, errors } = discoverPlugins(root, [path.join(root, 'extra')]);
    expect(plugins.map((p) => p.manifest.id).sort()).toEqual(['extra-one', 'local-one', 'npm-one', 'scoped-one']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toContain('broken/plugin.json: cannot read the manifest');
  });
});

describe('kernel hooks', () => {
  it('are frozen, ordered by numeric stage, and refuse `before`', async () => {
    const hooks = createKernelHooks();
    expect(Object.isFrozen(hooks)).toBe(true);
    const order: string[] = [];
    hooks.tenantCreated.tapPromise({ name: 'late', stage: 10 }, async () => void order.push('late'));
    hooks.tenantCreated.tapPromise({ name: 'early', stage: -10 }, async () => void order.push('early'));
    await hooks.tenantCreated.promise({ tenantId: 't', slug: 's' });
    expect(order).toEqual(['early', 'late']);
    expect(() => hooks.tenantCreated.tapPromise({ name: 'x', before: 'late' } as never, async () => undefined)).toThrow('`before` is not allowed');
  });
});
