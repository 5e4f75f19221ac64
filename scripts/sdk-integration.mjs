// The Python SDK's suite against the real platform: `node scripts/sdk-integration.mjs` after `npm run build`.
// 1. a Python venv (monitor-sdk/python/.venv) with pytest, and onnx + tensorboard when PyPI has them
//    (the artifact test reads the demo files with the real libraries; it skips, saying why, without them);
// 2. the built platform on free loopback ports with demo data, and API tokens for the tests;
// 3. a loopback control server through which the durability tests stop (SIGTERM), kill (SIGKILL) and
//    restart the platform on the same port and data directory;
// 4. pytest over monitor-sdk/python/tests with the integration tests switched on; exits with pytest's
//    code, where 5 ("no tests ran") counts as a failure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { ROOT, createApiToken, freePort, removeDataDir, startPlatform } from './lib/platform-process.mjs';

const SDK = path.join(ROOT, 'monitor-sdk', 'python');
const VENV = path.join(SDK, '.venv');
const VENV_PYTHON = path.join(VENV, 'bin', 'python');
// Small enough that the size-limit test sends little, large enough for every other upload of the suite.
const ARTIFACT_MAX_BYTES = 4 * 1024 * 1024;

function log(message) {
  console.log(`[sdk-integration] ${message}`);
}

function pythonOk(python, code) {
  return spawnSync(python, ['-c', code], { stdio: 'ignore' }).status === 0;
}

/** A venv with pytest; onnx and tensorboard are optional. Returns the interpreter and why validators are missing, if they are. */
function preparePython() {
  const base = process.env.PYTHON ?? 'python3';
  if (!existsSync(VENV_PYTHON)) {
    log(`creating ${path.relative(ROOT, VENV)}`);
    execFileSync(base, ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  const pip = (args) => spawnSync(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', ...args], { encoding: 'utf8', timeout: 600_000 });
  if (!pythonOk(VENV_PYTHON, 'import pytest')) {
    const result = pip(['pytest>=7']);
    if (result.status !== 0) throw new Error(`pip install pytest failed:\n${result.stderr}`);
  }
  let validatorsMissing = '';
  if (!pythonOk(VENV_PYTHON, 'import onnx, tensorboard')) {
    log('installing onnx and tensorboard (to read the demo artifacts with the real libraries)');
    const result = pip(['onnx', 'tensorboard']);
    if (result.status !== 0 || !pythonOk(VENV_PYTHON, 'import onnx, tensorboard')) {
      validatorsMissing = `pip install onnx tensorboard failed: ${(result.stderr || result.error?.message || 'import failed').trim().split('\n').slice(-3).join(' ')}`;
      log(validatorsMissing);
    }
  }
  return { python: VENV_PYTHON, validatorsMissing };
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * After SIGKILL the node process is gone but its embedded PostgreSQL runs on (its own process group)
 * and still holds <dataDir>/postgres. A restart on that directory must wait for it: ask it for a fast
 * shutdown (SIGINT: roll back open transactions, keep what was committed) and wait until it is gone.
 */
async function stopOrphanPostgres(dataDir) {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  log(`stopping the orphaned PostgreSQL (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    while (processAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  }
}

/** One platform at a time on a fixed port, data directory and PostgreSQL port, so a restart is the same platform. */
class PlatformControl {
  constructor() {
    this.current = null;
    this.dataDir = null;
    this.port = null;
    this.pgPort = null;
  }

  running() {
    // A child killed by a signal has exitCode null and signalCode set.
    return Boolean(this.current && this.current.child.exitCode === null && this.current.child.signalCode === null);
  }

  async start() {
    if (this.running()) return;
    this.pgPort ??= await freePort();
    const started = Date.now();
    this.current = await startPlatform({
      env: { ARTIFACT_MAX_BYTES: String(ARTIFACT_MAX_BYTES) },
      port: this.port ?? undefined, pgPort: this.pgPort, dataDir: this.dataDir ?? undefined });
    this.port = this.current.port;
    this.dataDir = this.current.dataDir;
    log(`platform up at ${this.current.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  async stop() {
    await this.current?.stop({ keepData: true });
    log('platform stopped (SIGTERM)');
  }

  async kill() {
    await this.current?.kill();
    log('platform killed (SIGKILL)');
    await stopOrphanPostgres(this.dataDir);
  }

  async close() {
    if (this.running()) await this.current.stop({ keepData: true });
    if (this.dataDir) await stopOrphanPostgres(this.dataDir);
    if (this.dataDir) await removeDataDir(this.dataDir);
  }
}

/** POST /start | /stop | /kill, answered once done; loopback only, for the tests this script starts. */
function controlServer(control) {
  const actions = { start: () => control.start(), stop: () => control.stop(), kill: () => control.kill() };
  let queue = Promise.resolve();
  const server = createServer((req, res) => {
    const action = actions[(req.url ?? '').replace(/^\//, '')];
    if (req.method !== 'POST' || !action) {
      res.writeHead(404).end();
      return;
    }
    // One action at a time, in arrival order.
    queue = queue.then(action).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      (error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error?.stack ?? error)),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const { python, validatorsMissing } = preparePython();
  const control = new PlatformControl();
  let server = null;
  try {
    await control.start();
    const url = control.current.baseUrl;
    const engineer = 'ml_engineer@demo-tenant.local';
    const tokens = {
      ONESERVICE_TEST_TOKEN: await createApiToken(url, engineer, ['ingest', 'read', 'write']),
      ONESERVICE_TEST_INGEST_ONLY_TOKEN: await createApiToken(url, engineer, ['ingest']),
      ONESERVICE_TEST_WRITE_READ_TOKEN: await createApiToken(url, engineer, ['write', 'read']),
      ONESERVICE_TEST_BETA_TOKEN: await createApiToken(url, 'ml_engineer@beta-tenant.local', ['ingest', 'read', 'write']),
    };
    server = await controlServer(control);
    const env = {
      ...process.env,
      ...tokens,
      ONESERVICE_TEST_URL: url,
      ONESERVICE_TEST_TENANT: 'demo-tenant',
      ONESERVICE_TEST_CONTROL_URL: `http://127.0.0.1:${server.address().port}`,
      ONESERVICE_TEST_VALIDATORS_MISSING: validatorsMissing,
      ONESERVICE_TEST_ARTIFACT_MAX_BYTES: String(ARTIFACT_MAX_BYTES),
      PYTHONUNBUFFERED: '1',
    };
    log(`pytest against ${url}`);
    const code = await new Promise((resolve) => {
      const child = spawn(python, ['-m', 'pytest', '-q', '-rs', 'monitor-sdk/python/tests'], { cwd: ROOT, env, stdio: 'inherit' });
      child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
    if (code === 5) log('pytest collected no tests: counted as a failure');
    return code === 5 ? 1 : code;
  } finally {
    server?.close();
    await control.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[sdk-integration] ${error?.stack ?? error}`);
    process.exit(1);
  },
);
