import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { pluginManifestSchema } from '@oneservice/plugin-sdk';
import { startTestKernel } from '@oneservice/plugin-sdk/testing';
import { ROOT_DIR } from '../src/kernel.js';
import { discoverPlugins } from '../src/plugins/discovery.js';
import { readPluginSettings, renderSettingsTable, settingVariable, withSettingsTable } from '../src/plugins/plugin-settings.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const boot = (env: Record<string, string> = {}, logger?: pino.Logger) =>
  startTestKernel({ plugins: ['boundary-probe', 'logs-embedded'], pluginDirs: [fixtures], env, ...(logger ? { logger } : {}) });

describe('a plugin reaches only what its manifest declares', () => {
  it('uses its declared settings, port and a named platform door (logged once)', async () => {
    const lines: { msg: string; plugin?: string; reason?: string }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
    const k = await boot({ ONESERVICE_BOUNDARY_PROBE_LIMIT: '7', OLD_PROBE_FLAG: 'yes' }, logger);
    try {
      const answer = await k.request('GET', '/api/v1/probe', { token: await k.login('a', 'READONLY') });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ settings: { MODE: 'lawful', LIMIT: 7, FLAG: true }, logs: 0 });
      expect((await k.request('GET', '/api/v1/probe', { token: await k.login('a', 'PM') })).status).toBe(403);
      const doors = lines.filter((l) => l.msg === 'platform-wide database access');
      expect(doors.filter((l) => l.plugin === 'boundary-probe').map((l) => l.reason)).toEqual(['probe: count every tenant’s widgets']);
      expect(doors.map((l) => l.plugin).sort()).toEqual(['boundary-probe', 'logs-embedded']);
    } finally {
      await k.stop();
    }
  });

  it.each([
    ['env', 'plugin boundary-probe: ctx.config.env does not exist: a plugin reads only the settings its manifest declares'],
    ['knex', 'plugin boundary-probe: ctx.db.knex does not exist: tenant data is reached through ctx.db.forTenant(tenantId)'],
    ['undeclared-setting', 'plugin boundary-probe: ctx.config.settings.NOT_DECLARED does not exist, as its manifest declares no such setting'],
    ['undeclared-port', 'plugin boundary-probe uses port events, which its manifest does not list in "requires" (as "port:events")'],
    ['undeclared-provide', 'plugin boundary-probe provides port traces, which its manifest does not list in "provides"'],
  ])('fails boot when setup reaches for %s, naming the plugin and what it reached', async (mode, message) => {
    await expect(boot({ ONESERVICE_BOUNDARY_PROBE_MODE: mode })).rejects.toThrow(message);
  });

  it('fails boot on a bad setting value, naming the plugin and the variable', async () => {
    await expect(boot({ ONESERVICE_BOUNDARY_PROBE_LIMIT: '50' })).rejects.toThrow(/plugin boundary-probe: ONESERVICE_BOUNDARY_PROBE_LIMIT="50" is invalid: .*10/);
  });

  it('fails boot when a manifest lists a port in "provides" that setup never provides', async () => {
    await expect(startTestKernel({ plugins: ['boundary-liar'], pluginDirs: [fixtures] }))
      .rejects.toThrow('plugin boundary-liar failed in setup: its manifest lists events in "provides", but setup registered no provider of it');
  });
});

describe('plugin settings', () => {
  const manifest = (config: unknown[]) => pluginManifestSchema.parse({ id: 'my-plugin', version: '1', core: '^1.0.0', displayName: 'M', kinds: ['page'], config });

  it('reads the prefixed variable first, then the older names, and parses by declared type', () => {
    const m = manifest([
      { name: 'SIZE', type: 'integer', default: 3, min: 1, description: 'a size', aliases: ['OLD_SIZE'] },
      { name: 'RATIO', type: 'number', description: 'a ratio' },
      { name: 'ON', type: 'boolean', default: true, description: 'a switch' },
      { name: 'NAME', type: 'string', default: 'x', description: 'a name' },
    ]);
    expect(settingVariable('my-plugin', 'SIZE')).toBe('ONESERVICE_MY_PLUGIN_SIZE');
    expect(readPluginSettings(m, {})).toEqual({ SIZE: 3, RATIO: undefined, ON: true, NAME: 'x' });
    expect(readPluginSettings(m, { OLD_SIZE: '4', ONESERVICE_MY_PLUGIN_RATIO: '0.5', ONESERVICE_MY_PLUGIN_ON: '0' })).toEqual({ SIZE: 4, RATIO: 0.5, ON: false, NAME: 'x' });
    expect(readPluginSettings(m, { OLD_SIZE: '4', ONESERVICE_MY_PLUGIN_SIZE: '5' }).SIZE).toBe(5);
    // Everything else in the environment stays out of reach.
    expect(Object.keys(readPluginSettings(m, { ONESERVICE_SECRET_KEY: 'x'.repeat(40) }))).toEqual(['SIZE', 'RATIO', 'ON', 'NAME']);
  });

  it('names the variable of a bad value, and a default outside its own bounds', () => {
    const m = manifest([{ name: 'SIZE', type: 'integer', default: 3, min: 1, description: 'a size', aliases: ['OLD_SIZE'] }]);
    expect(() => readPluginSettings(m, { OLD_SIZE: '2.5' })).toThrow('plugin my-plugin: OLD_SIZE="2.5" is invalid');
    expect(() => readPluginSettings(manifest([{ name: 'SIZE', type: 'integer', default: 0, min: 1, description: 'a size' }]), {})).toThrow('plugin my-plugin: setting SIZE has a default outside its own bounds');
  });

  it('rejects a manifest setting with an unknown key, a lower-case name or a name used twice', () => {
    expect(() => manifest([{ name: 'size', type: 'integer', description: 'a size' }])).toThrow(/upper-case/);
    expect(() => manifest([{ name: 'SIZE', type: 'integer', description: 'a size', secret: true }])).toThrow(/secret/);
    expect(() => manifest([{ name: 'SIZE', type: 'integer', description: 'a size' }, { name: 'SIZE', type: 'string', description: 'x' }])).toThrow(/unique/);
    expect(() => manifest([{ name: 'A', type: 'integer', description: 'a', aliases: ['OLD'] }, { name: 'B', type: 'string', description: 'b', aliases: ['OLD'] }])).toThrow(/one setting only/);
  });

  it('is README’s table exactly (run `npm run docs:config` after changing a manifest’s config)', () => {
    const readme = readFileSync(path.join(ROOT_DIR, 'README.md'), 'utf8');
    const { plugins, errors } = discoverPlugins(ROOT_DIR, []);
    expect(errors).toEqual([]);
    expect(readme).toBe(withSettingsTable(readme, renderSettingsTable(plugins.map((p) => p.manifest))));
    expect(readme).toContain('| `ONESERVICE_TRAINING_INGEST_MAX_ITEMS` | `training` | `50000` |');
  });

  it('renders README rows with the variable, plugin, default, bounds and older names', () => {
    const m = manifest([{ name: 'SIZE', type: 'integer', default: 3, min: 1, max: 9, description: 'a size', aliases: ['OLD_SIZE'] }]);
    expect(renderSettingsTable([m]).split('\n')[2]).toBe('| `ONESERVICE_MY_PLUGIN_SIZE` | `my-plugin` | `3` | a size (integer, ≥ 1, ≤ 9; the older `OLD_SIZE` is still read) |');
  });
});
