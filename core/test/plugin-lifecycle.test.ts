import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestKernel } from '@oneservice/plugin-sdk/testing';
import type { PluginManifest } from '@oneservice/plugin-sdk';
import { orderPlugins } from '../src/plugins/ordering.js';
import { readManifest } from '../src/plugins/discovery.js';
import { lifecycleEvents } from './fixtures/lifecycle-events.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const manifest = (id: string, requires: string[] = [], provides: string[] = []) =>
  ({ manifest: { id, requires, provides } as unknown as PluginManifest });

describe('plugin ordering', () => {
  it('puts each plugin after what it requires, ties by id', () => {
    const order = orderPlugins([manifest('c', ['b']), manifest('b', ['a']), manifest('a'), manifest('z')]).map((p) => p.manifest.id);
    expect(order).toEqual(['a', 'z', 'b', 'c']);
  });

  it('orders port consumers after every provider of the port', () => {
    const order = orderPlugins([manifest('training', ['port:logs']), manifest('logs-x', [], ['logs']), manifest('logs-y', [], ['logs'])]).map((p) => p.manifest.id);
    expect(order).toEqual(['logs-x', 'logs-y', 'training']);
  });

  it('names the plugins of a cycle', () => {
    expect(() => orderPlugins([manifest('a', ['b']), manifest('b', ['c']), manifest('c', ['a']), manifest('d')])).toThrow('plugin dependency cycle: a → b → c → a');
  });

  it('names a missing dependency and a missing port', () => {
    expect(() => orderPlugins([manifest('a', ['ghost'])])).toThrow('plugin a requires plugin ghost, which is not installed or is disabled');
    expect(() => orderPlugins([manifest('a', ['port:logs'])])).toThrow('plugin a requires port logs, which no installed plugin provides');
  });
});

describe('manifest parsing', () => {
  const write = (json: unknown) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
    writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify(json));
    return dir;
  };
  const valid = { id: 'ok-plugin', version: '1.0.0', core: '^1.0.0', displayName: 'OK', kinds: ['page'] };

  it('accepts a valid manifest and fills defaults', () => {
    const { manifest: parsed } = readManifest(write(valid));
    expect(parsed.requires).toEqual([]);
    expect(parsed.bootPolicy).toBe('abort');
  });

  it('rejects an unknown key, naming it', () => {
    expect(() => readManifest(write({ ...valid, menu: {} }))).toThrow(/invalid manifest: .*Unrecognized key.*"menu"/);
    expect(() => readManifest(write({ ...valid, contributes: { menus: { primary: [], secondary: [], extra: 1 } } }))).toThrow(/contributes\.menus.*extra/);
  });

  it('rejects a core range this kernel does not satisfy', () => {
    expect(() => readManifest(write({ ...valid, core: '^2.0.0' }))).toThrow('plugin ok-plugin needs core ^2.0.0, this is core 1.0.0');
  });

  it('rejects a menu tab whose parent is not a primary menu', () => {
    const menus = { primary: [], secondary: [{ parent: 'nowhere', id: 't', title: 'T', route: '/t' }] };
    expect(() => readManifest(write({ ...valid, contributes: { menus, frontend: { entry: 'dist/ui.js' } } }))).toThrow('menu tab t names parent nowhere');
  });
});

describe('plugin lifecycle', () => {
  beforeEach(() => {
    lifecycleEvents.length = 0;
  });

  it('runs migrations, setup then start in dependency order, serves routes, and stops in reverse', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-child', 'lifecycle-base'], pluginDirs: [fixtures] });
    try {
      expect(lifecycleEvents).toEqual(['base:setup', 'child:setup', 'base:start', 'child:start']);
      await k.kernel.knex('lifecycle_widgets').insert([{ tenant_id: k.tenants.a.id, name: 'a-widget' }, { tenant_id: k.tenants.b.id, name: 'b-widget' }]);
      const list = await k.request('GET', '/api/v1/widgets', { token: await k.login('a', 'READONLY') });
      expect(list.status).toBe(200);
      expect(list.body.items.map((w: { name: string }) => w.name)).toEqual(['a-widget']);
      const denied = await k.request('GET', '/api/v1/widgets', { token: await k.login('a', 'PM') });
      expect(denied.status).toBe(403);
    } finally {
      await k.stop();
    }
    expect(lifecycleEvents.slice(-2)).toEqual(['child:stop', 'base:stop']);
  });

  it('lets in-flight requests finish before stopping', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-base'], pluginDirs: [fixtures] });
    const token = await k.login('a', 'READONLY');
    const inFlight = k.request('GET', '/api/v1/widgets/slow', { token });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await k.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ done: true });
    expect(lifecycleEvents.at(-1)).toBe('base:stop');
  });

  it('cuts off a setup that exceeds the timeout (boot policy continue: the platform starts without it)', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-slow', 'lifecycle-base'], pluginDirs: [fixtures], env: { PLUGIN_TIMEOUT_MS: '200' } });
    try {
      const slow = k.kernel.plugins.find((p) => p.manifest.id === 'lifecycle-slow')!;
      expect(slow.state).toBe('failed');
      expect(slow.error).toBe('plugin lifecycle-slow failed in setup: lifecycle-slow setup did not finish within 200 ms');
      expect(k.kernel.plugins.find((p) => p.manifest.id === 'lifecycle-base')!.state).toBe('started');
    } finally {
      await k.stop();
    }
  });

  it('aborts boot when a plugin with policy abort fails, naming it and the reason', async () => {
    await expect(startTestKernel({ plugins: ['lifecycle-broken-abort'], pluginDirs: [fixtures] })).rejects.toThrow(
      'plugin lifecycle-broken-abort failed in setup: cannot reach its engine',
    );
  });

  it('boots without a failing plugin under policy continue and drops the routes it registered', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-broken-continue'], pluginDirs: [fixtures] });
    try {
      expect(k.kernel.plugins[0]!.state).toBe('failed');
      const response = await k.request('GET', '/api/v1/broken', { token: await k.login('a', 'READONLY') });
      expect(response.status).toBe(404);
      const listed = await k.request('GET', '/api/v1/plugins', { token: await k.login('a', 'TENANT_ADMIN') });
      expect(listed.body.items[0]).toMatchObject({ id: 'lifecycle-broken-continue', state: 'failed', error: expect.stringContaining('cannot reach its engine') });
    } finally {
      await k.stop();
    }
  });

  it('refuses registrations after start', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-late'], pluginDirs: [fixtures] });
    try {
      expect(lifecycleEvents).toEqual(['late:refused:route registry is sealed: lifecycle-late tried to add GET /late after start']);
    } finally {
      await k.stop();
    }
  });

  it('hides a plugin’s routes in a tenant that disabled it, and audits the change', async () => {
    const k = await startTestKernel({ plugins: ['lifecycle-base'], pluginDirs: [fixtures] });
    try {
      const admin = await k.login('a', 'TENANT_ADMIN');
      expect((await k.request('PUT', '/api/v1/plugins/lifecycle-base', { token: admin, body: { enabled: false } })).status).toBe(204);
      const offInA = await k.request('GET', '/api/v1/widgets', { token: admin });
      expect(offInA.status).toBe(404);
      expect(offInA.body.detail).toContain('disabled for this tenant');
      expect((await k.request('GET', '/api/v1/widgets', { token: await k.login('b', 'TENANT_ADMIN') })).status).toBe(200);
      const audit = await k.request('GET', '/api/v1/audit?action=plugin.disable', { token: admin });
      expect(audit.body.items).toHaveLength(1);
    } finally {
      await k.stop();
    }
  });
});
