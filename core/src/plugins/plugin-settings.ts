import { z } from 'zod';
import type { PluginManifest, SettingDeclaration, SettingValue } from '@oneservice/plugin-sdk';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** `ONESERVICE_<PLUGIN>_<NAME>`: the plugin id upper-cased, dashes as underscores. */
export function settingVariable(pluginId: string, name: string): string {
  return `ONESERVICE_${pluginId.toUpperCase().replaceAll('-', '_')}_${name}`;
}

function schemaOf(setting: SettingDeclaration): z.ZodType<SettingValue> {
  let schema: z.ZodType<string | number | boolean>;
  if (setting.type === 'boolean') schema = bool;
  else if (setting.type === 'string') schema = z.string().min(setting.min ?? 0).max(setting.max ?? Number.MAX_SAFE_INTEGER);
  else {
    let number = setting.type === 'integer' ? z.coerce.number().int() : z.coerce.number();
    if (setting.min !== undefined) number = number.min(setting.min);
    if (setting.max !== undefined) number = number.max(setting.max);
    schema = number;
  }
  return setting.default === undefined ? schema.optional() : schema.default(schema.parse(String(setting.default)) as never);
}

/**
 * Reads the settings a manifest declares, and nothing else, from the environment. A bad value (or a
 * default that contradicts its own bounds) is an error naming the plugin, the variable and the reason.
 */
export function readPluginSettings(manifest: PluginManifest, env: Readonly<Record<string, string | undefined>>): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  for (const setting of manifest.config) {
    const names = [settingVariable(manifest.id, setting.name), ...setting.aliases];
    const variable = names.find((name) => env[name] !== undefined && env[name] !== '') ?? names[0]!;
    let schema: z.ZodType<SettingValue>;
    try {
      schema = schemaOf(setting);
    } catch (error) {
      throw new Error(`plugin ${manifest.id}: setting ${setting.name} has a default outside its own bounds (${(error as Error).message})`, { cause: error });
    }
    const parsed = schema.safeParse(env[variable] === '' ? undefined : env[variable]);
    if (!parsed.success) {
      throw new Error(`plugin ${manifest.id}: ${variable}=${JSON.stringify(env[variable])} is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    settings[setting.name] = parsed.data;
  }
  return settings;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** README's table of plugin settings, generated from the manifests (a test keeps README equal to it). */
export function renderSettingsTable(manifests: PluginManifest[]): string {
  const rows = manifests
    .filter((m) => m.config.length > 0)
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap((m) => m.config.map((s) => {
      const bounds = [s.min !== undefined ? `≥ ${s.min}` : '', s.max !== undefined ? `≤ ${s.max}` : ''].filter(Boolean).join(', ');
      const also = s.aliases.length ? ` (also read: ${s.aliases.map((a) => `\`${a}\``).join(', ')}, the older name)` : '';
      return `| \`${settingVariable(m.id, s.name)}\` | \`${m.id}\` | ${s.default === undefined ? '—' : `\`${String(s.default)}\``} | ${cell(s.description)}${bounds ? ` (${s.type}, ${bounds})` : ` (${s.type})`}${also} |`;
    }));
  return ['| variable | plugin | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
