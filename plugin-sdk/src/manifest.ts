import { z } from 'zod';

/** Roles are the kernel's; plugins grant their permissions to them by name. */
export const ROLES = ['TENANT_ADMIN', 'SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM', 'READONLY'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export const PLUGIN_KINDS = ['datasource', 'page', 'alert-channel', 'integration'] as const;

const permissionId = z.string().regex(/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/, 'a permission is "resource:action"');

export const permissionDeclarationSchema = z.strictObject({
  id: permissionId,
  description: z.string().min(1),
  /** Roles granted this permission (TENANT_ADMIN always is). Least privilege: list only those who need it. */
  roles: z.array(roleSchema).default([]),
});

const menuPrimarySchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  icon: z.string().min(1),
  order: z.number().int(),
  permission: permissionId,
});

const menuSecondarySchema = z.strictObject({
  parent: z.string().min(1),
  id: z.string().min(1),
  title: z.string().min(1),
  route: z.string().regex(/^\/[a-z0-9/_-]*$/, 'a route is an absolute path of lower-case segments'),
  permission: permissionId.optional(),
  /** false: the page's data does not depend on time, so the shell hides the time-range picker there (default true). */
  timeRange: z.boolean().optional(),
});

/**
 * One setting a plugin reads from the environment, declared as data: the kernel builds its zod schema,
 * reads `ONESERVICE_<PLUGIN>_<NAME>` (plugin id upper-cased, dashes as underscores) and hands the parsed
 * value to the plugin as `ctx.config.settings[name]`. README's configuration table lists every one.
 */
export const settingDeclarationSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'a setting name is upper-case letters, digits and underscores'),
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  description: z.string().min(1),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Older variable names still read (after the prefixed one), so a rename does not break a deployment. */
  aliases: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).default([]),
});

/**
 * plugin.json, parsed strictly before any plugin code is imported: an unknown key is an error, so a
 * typo never silently drops a contribution.
 */
export const pluginManifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'a plugin id is lower-case letters, digits and dashes'),
  version: z.string().min(1),
  core: z.string().min(1).describe('semver range of @oneservice/core this plugin works with'),
  displayName: z.string().min(1),
  description: z.string().optional(),
  kinds: z.array(z.enum(PLUGIN_KINDS)).min(1),
  requires: z.array(z.string()).default([]),
  provides: z.array(z.string()).default([]),
  permissions: z.array(permissionDeclarationSchema).default([]),
  /** Server entry, relative to the plugin folder; `src/…/*.ts` is loaded from `dist/…/*.js` when built. */
  server: z.string().optional(),
  bootPolicy: z.enum(['abort', 'continue']).default('abort'),
  /** The environment variables this plugin reads; it sees no others. */
  config: z
    .array(settingDeclarationSchema)
    .refine((settings) => new Set(settings.map((s) => s.name)).size === settings.length, 'setting names must be unique')
    .refine((settings) => new Set(settings.flatMap((s) => s.aliases)).size === settings.flatMap((s) => s.aliases).length, 'an older variable name may stand for one setting only')
    .default([]),
  contributes: z
    .strictObject({
      menus: z
        .strictObject({
          primary: z.array(menuPrimarySchema).default([]),
          secondary: z.array(menuSecondarySchema).default([]),
        })
        .optional(),
      frontend: z.strictObject({ entry: z.string().min(1) }).optional(),
      settings: z.record(z.string(), z.unknown()).optional(),
    })
    .default({}),
});

export type PluginManifest = z.infer<typeof pluginManifestSchema>;
export type PermissionDeclaration = z.infer<typeof permissionDeclarationSchema>;
export type SettingDeclaration = z.infer<typeof settingDeclarationSchema>;
