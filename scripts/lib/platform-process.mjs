// Starts the built platform the way README's first command does (node core/dist/main.js) on free
// loopback ports with a throw-away data directory, for the browser suite, the SDK's integration
// tests and the benchmarks. Build first (`npm run build`).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The embedded PostgreSQL's runtime folder (as root) for scripts' and tests' throw-away data dirs. */
export const SCRATCH_RUNTIME_DIR = path.join(os.tmpdir(), 'oneservice-runtime');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Deletes a data dir and the embedded PostgreSQL cluster it links to (core/src/db/embedded-postgres-placement.ts). */
export async function removeDataDir(dataDir, root = ROOT) {
  const { removeDataDir: remove } = await import(path.join(root, 'core', 'dist', 'db', 'embedded-postgres-placement.js'));
  remove(dataDir);
}

/**
 * @param {{ nodeArgs?: string[], demo?: boolean, env?: Record<string,string>, dataDir?: string, port?: number, pgPort?: number,
 *   readyTimeoutMs?: number, root?: string, detached?: boolean }} options `root`: the checkout to start (default: this one);
 *   `detached`: its own process group, as a shell job is (so a test can send the group a Ctrl-C).
 */
export async function startPlatform(options = {}) {
  const root = options.root ?? ROOT;
  const port = options.port ?? (await freePort());
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'oneservice-run-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ONESERVICE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(options.pgPort ?? (await freePort())),
    ONESERVICE_DEMO: options.demo === false ? '0' : '1',
    // Throw-away platforms keep what the postgres user needs (as root) under the temp folder too, so a
    // run that dies before it cleans up leaves nothing behind a reboot.
    EMBEDDED_PG_RUNTIME_DIR: process.env.EMBEDDED_PG_RUNTIME_DIR ?? SCRATCH_RUNTIME_DIR,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'core/dist/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 240_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}) before it was ready:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the platform was not ready in time:\n${output.slice(-3000)}`);
    }
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const waitExit = (ms) => Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, ms))]);
  return {
    baseUrl, port, dataDir, child,
    output: () => output,
    /** SIGTERM (graceful: drain, stop plugins, stop PostgreSQL); `keepData` leaves the data dir. */
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await waitExit(30_000);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (ownDataDir && !keepData) await removeDataDir(dataDir, root);
    },
    /** SIGKILL, as a crash would: the embedded PostgreSQL keeps running in its own process group. */
    async kill() {
      child.kill('SIGKILL');
      await waitExit(10_000);
    },
  };
}

/** Signs in with a password and returns an access token. */
export async function signIn(baseUrl, username, password = 'oneservice-demo', tenant) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, ...(tenant ? { tenant } : {}) }),
  });
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

/** Creates an API token for a demo user and returns its secret. */
export async function createApiToken(baseUrl, username, scopes, password = 'oneservice-demo') {
  const access = await signIn(baseUrl, username, password);
  const response = await fetch(`${baseUrl}/api/v1/auth/api-token`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
    body: JSON.stringify({ name: `script ${scopes.join('+')}`, scopes, expires_in_days: 1 }),
  });
  if (response.status !== 201) throw new Error(`API token for ${username} failed: ${response.status} ${await response.text()}`);
  return (await response.json()).secret;
}
