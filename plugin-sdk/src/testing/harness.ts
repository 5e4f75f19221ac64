import { ROLES, type Role, type TokenScope } from '../index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_PASSWORD = 'test-password-1234';

export interface TestTenant {
  id: string;
  slug: string;
  /** User id per role. */
  users: Record<Role, string>;
}

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Bearer credential (access token or API token). */
  token?: string;
  body?: unknown;
  /** Sent as-is (for raw uploads and form bodies); overrides `body`. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestKernel {
  baseUrl: string;
  tenants: { a: TestTenant; b: TestTenant };
  superAdmin: { id: string; email: string };
  /** The kernel object (typed loosely: plugin-sdk does not depend on core's types). */
  kernel: { knex: import('knex').Knex; services: Record<string, unknown>; plugins: { manifest: { id: string }; state: string; error: string | null }[] };
  database: TestDatabase;
  emailOf(tenant: 'a' | 'b', role: Role): string;
  login(tenant: 'a' | 'b' | 'super', role?: Role): Promise<string>;
  apiToken(tenant: 'a' | 'b', role: Role, scopes: TokenScope[]): Promise<string>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  stop(): Promise<void>;
}

export interface TestKernelOptions {
  /** Plugin ids to load (default none: the bare kernel). */
  plugins?: string[];
  /** Extra plugin folders (fixtures). */
  pluginDirs?: string[];
  env?: Record<string, string>;
  /** The kernel's logger (default: silent), for tests that read what the kernel logs. */
  logger?: import('pino').Logger;
}

type Core = typeof import('@oneservice/core');

/**
 * `@oneservice/core` is an optional peer dependency of plugin-sdk: a plugin's tests that boot a kernel
 * install it beside plugin-sdk; plugin code and the contract suites never need it. Loaded on first use.
 */
async function loadCore(): Promise<Core> {
  try {
    return (await import('@oneservice/core')) as Core;
  } catch (error) {
    throw new Error('startTestKernel needs @oneservice/core (an optional peer dependency of @oneservice/plugin-sdk): npm install --save-dev @oneservice/core', { cause: error });
  }
}

/**
 * Boots a real kernel with the chosen plugins on a fresh PostgreSQL database, with two tenants
 * (a, b), one user per role in each, and a platform super-admin. For plugin authors' tests.
 */
export async function startTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  const core = await loadCore();
  const database = await createTestDatabase();
  const config = core.loadConfig(
    { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', ONESERVICE_DEMO: 'false', ONESERVICE_DATA_DIR: `/tmp/oneservice-test-${process.pid}-${Date.now()}`, ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ...options.env },
    { pluginSource: 'ts' },
  );
  let kernel;
  try {
    kernel = await core.createKernel(config, { plugins: options.plugins ?? [], pluginDirs: options.pluginDirs ?? [], validateResponses: true, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const a = await core.createTenantWithRoleUsers(kernel, 'tenant-a', 'Tenant A', TEST_PASSWORD);
  const b = await core.createTenantWithRoleUsers(kernel, 'tenant-b', 'Tenant B', TEST_PASSWORD);
  const superEmail = 'root@oneservice.test';
  const superId = await core.createSuperAdmin(kernel, superEmail, TEST_PASSWORD);
  const baseUrl = await kernel.listen();
  const tenants = { a, b };

  const request = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) };
    let body: string | Buffer | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, ...opts.headers }, body: body as BodyInit | undefined });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };
  const emailOf = (tenant: 'a' | 'b', role: Role) => core.demoEmail(role, tenants[tenant].slug);
  const login = async (tenant: 'a' | 'b' | 'super', role: Role = 'TENANT_ADMIN') => {
    const username = tenant === 'super' ? superEmail : emailOf(tenant, role);
    const response = await request<{ access_token: string }>('POST', '/api/v1/auth/login', { body: { username, password: TEST_PASSWORD } });
    if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${response.text}`);
    return response.body.access_token;
  };
  const tokenCache = new Map<string, string>();
  return {
    baseUrl, tenants, database, emailOf, request,
    superAdmin: { id: superId, email: superEmail },
    kernel: kernel as unknown as TestKernel['kernel'],
    async login(tenant, role) {
      const key = `${tenant}|${role ?? 'TENANT_ADMIN'}`;
      const cached = tokenCache.get(key);
      if (cached) return cached;
      const token = await login(tenant, role);
      tokenCache.set(key, token);
      return token;
    },
    async apiToken(tenant, role, scopes) {
      const session = await login(tenant, role);
      const response = await request<{ secret: string }>('POST', '/api/v1/auth/api-token', { token: session, body: { name: `test ${scopes.join('+')}`, scopes } });
      if (response.status !== 201) throw new Error(`API token for ${role}@${tenant} failed: ${response.status} ${response.text}`);
      return response.body.secret;
    },
    async stop() {
      await kernel.stop();
      await database.drop();
    },
  };
}

export { ROLES };
