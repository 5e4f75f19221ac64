import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { pluginManifestSchema, type PluginManifest } from '@oneservice/plugin-sdk';

export interface DiscoveredPlugin {
  manifest: PluginManifest;
  dir: string;
}

export const CORE_VERSION = '1.0.0';

/**
 * Reads and validates a manifest without importing any plugin code: an unknown key, a bad value or a
 * `core` range this kernel does not satisfy is an error naming the file.
 */
export function readManifest(dir: string): DiscoveredPlugin {
  const file = path.join(dir, 'plugin.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the manifest: ${(error as Error).message}`);
  }
  const parsed = pluginManifestSchema.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`${file}: invalid manifest: ${reasons}`);
  }
  const manifest = parsed.data;
  if (!semver.validRange(manifest.core)) throw new Error(`${file}: "core" is not a semver range: ${manifest.core}`);
  if (!semver.satisfies(CORE_VERSION, manifest.core)) {
    throw new Error(`${file}: plugin ${manifest.id} needs core ${manifest.core}, this is core ${CORE_VERSION}`);
  }
  checkContributions(manifest, file);
  return { manifest, dir };
}

/** Cross-checks a manifest's contributions with each other, naming both sides of a mismatch. */
function checkContributions(manifest: PluginManifest, file: string): void {
  const menus = manifest.contributes.menus;
  const primaries = new Set((menus?.primary ?? []).map((m) => m.id));
  for (const tab of menus?.secondary ?? []) {
    if (!primaries.has(tab.parent)) throw new Error(`${file}: menu tab ${tab.id} names parent ${tab.parent}, which is not a primary menu of this plugin`);
  }
  if ((menus?.secondary.length ?? 0) > 0 && !manifest.contributes.frontend) {
    throw new Error(`${file}: menu tabs point at pages but the plugin has no contributes.frontend entry`);
  }
}

function pluginDirsIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  if (existsSync(path.join(folder, 'plugin.json'))) return [folder];
  return readdirSync(folder)
    .map((name) => path.join(folder, name))
    .filter((dir) => statSync(dir).isDirectory() && existsSync(path.join(dir, 'plugin.json')));
}

/** npm packages named oneservice-plugin-* (and @scope/oneservice-plugin-*) that carry a plugin.json. */
function npmPluginDirs(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  const dirs: string[] = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('@')) {
      for (const scoped of readdirSync(path.join(nodeModules, name))) {
        if (scoped.startsWith('oneservice-plugin-')) dirs.push(path.join(nodeModules, name, scoped));
      }
    } else if (name.startsWith('oneservice-plugin-')) dirs.push(path.join(nodeModules, name));
  }
  return dirs.filter((dir) => existsSync(path.join(dir, 'plugin.json')));
}

export interface Discovery {
  plugins: DiscoveredPlugin[];
  /** Folders whose manifest could not be read, with the reason. */
  errors: { dir: string; error: Error }[];
}

export function discoverPlugins(rootDir: string, extraPaths: string[]): Discovery {
  const dirs = [
    ...pluginDirsIn(path.join(rootDir, 'plugins')),
    ...extraPaths.flatMap((extra) => pluginDirsIn(path.resolve(extra))),
    ...npmPluginDirs(path.join(rootDir, 'node_modules')),
  ];
  const found = new Map<string, DiscoveredPlugin>();
  const errors: Discovery['errors'] = [];
  for (const dir of dirs) {
    try {
      const plugin = readManifest(dir);
      const existing = found.get(plugin.manifest.id);
      if (existing && existing.dir !== dir) throw new Error(`plugin id ${plugin.manifest.id} is used by both ${existing.dir} and ${dir}`);
      found.set(plugin.manifest.id, plugin);
    } catch (error) {
      errors.push({ dir, error: error as Error });
    }
  }
  return { plugins: [...found.values()], errors };
}
