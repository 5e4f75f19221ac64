import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/**
 * Every setting of the platform, from environment variables, parsed once at boot. README's
 * configuration table is this schema in prose; keep the two together.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  ONESERVICE_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  // As root only: where the embedded PostgreSQL's binaries and unreachable data dirs' clusters go.
  EMBEDDED_PG_RUNTIME_DIR: z.string().default('/var/lib/oneservice'),
  ONESERVICE_DEMO: bool.default(true),
  ONESERVICE_PUBLIC_URL: z.string().url().optional(),
  ONESERVICE_SECRET_KEY: z.string().min(32).optional(),
  ONESERVICE_PLUGIN_PATHS: z.string().default(''),
  // The plugin guide's example page is for authors and the browser suite, not for users' menus.
  ONESERVICE_PLUGINS_DISABLED: z.string().default('example-hello'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(14 * 24 * 3600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(300),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  PLUGIN_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(10000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  dataDir: string;
  publicUrl: string;
  pluginPaths: string[];
  disabledPlugins: Set<string>;
  /** When true (tests), plugin server entries load from TypeScript sources instead of dist. */
  pluginSource: 'dist' | 'ts';
  /** The environment the configuration was read from: the kernel reads each plugin's declared settings here; plugins never see it. */
  env: Readonly<Record<string, string | undefined>>;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${reasons}`);
  }
  const raw = parsed.data;
  const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);
  return {
    ...raw,
    dataDir: path.resolve(raw.ONESERVICE_DATA_DIR),
    publicUrl: raw.ONESERVICE_PUBLIC_URL ?? `http://${raw.HOST}:${raw.PORT}`,
    pluginPaths: list(raw.ONESERVICE_PLUGIN_PATHS),
    disabledPlugins: new Set(list(raw.ONESERVICE_PLUGINS_DISABLED)),
    pluginSource: 'dist',
    env: Object.freeze({ ...env }),
    ...overrides,
  };
}
