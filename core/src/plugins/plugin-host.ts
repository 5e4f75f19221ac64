import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginContext, PluginDefinition } from '@oneservice/plugin-sdk';
import type { Logger } from 'pino';
import type { DiscoveredPlugin } from './discovery.js';

export type PluginState = 'discovered' | 'setup' | 'started' | 'failed' | 'stopped';

export interface LoadedPlugin extends DiscoveredPlugin {
  definition: PluginDefinition | null;
  state: PluginState;
  error: string | null;
  context: PluginContext | null;
}

export function withTimeout<T>(work: Promise<T> | T, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Loads a plugin's server module. Manifests point at TypeScript sources (`src/…/*.ts`); a built
 * platform loads the transpiled `dist/…/*.js`, tests (which transform TypeScript) the source.
 */
export async function importPluginServer(plugin: DiscoveredPlugin, source: 'dist' | 'ts'): Promise<PluginDefinition | null> {
  const entry = plugin.manifest.server;
  if (!entry) return null;
  const built = entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
  const file = path.join(plugin.dir, source === 'ts' ? entry : built);
  if (!existsSync(file)) throw new Error(`plugin ${plugin.manifest.id}: server entry ${file} is missing${source === 'dist' ? ' (run npm run build)' : ''}`);
  const module = (await import(pathToFileURL(file).href)) as { default?: PluginDefinition };
  if (!module.default || typeof module.default.setup !== 'function') {
    throw new Error(`plugin ${plugin.manifest.id}: ${file} must export default definePlugin({ setup, … })`);
  }
  return module.default;
}

/** Runs one lifecycle step of every plugin in order, honouring each plugin's boot policy. */
export async function runStep(
  plugins: LoadedPlugin[],
  step: string,
  work: (plugin: LoadedPlugin) => Promise<void>,
  onFailure: (plugin: LoadedPlugin) => void,
  logger: Logger,
): Promise<void> {
  for (const plugin of plugins) {
    if (plugin.state === 'failed') continue;
    const failedDependency = plugin.manifest.requires.find((id) => plugins.some((p) => p.manifest.id === id && p.state === 'failed'));
    try {
      if (failedDependency) throw new Error(`it requires ${failedDependency}, which failed`);
      await work(plugin);
    } catch (error) {
      const message = `plugin ${plugin.manifest.id} failed in ${step}: ${(error as Error).message}`;
      if (plugin.manifest.bootPolicy === 'abort') throw new Error(message, { cause: error });
      logger.error({ plugin: plugin.manifest.id }, `${message} (boot policy "continue": the platform starts without it)`);
      plugin.state = 'failed';
      plugin.error = message;
      onFailure(plugin);
    }
  }
}
