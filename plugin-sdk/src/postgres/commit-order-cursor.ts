import type { Knex } from 'knex';
import { ProblemError } from '../problem.js';
import { scopeToTenant, type TenantDb } from '../tenant-db.js';

/**
 * Gap-free following of an append-only PostgreSQL table, for provider authors (the logs and events
 * providers use it; docs/adr/0012-logs-follow-and-query-parser.md says why).
 *
 * The table needs, besides `tenant_id` and a `bigserial id`:
 *   tx xid8 NOT NULL DEFAULT pg_current_xact_id()      -- the writing top-level transaction
 *   CREATE INDEX … ON <table> (tenant_id, tx, id)
 * The default is evaluated per INSERT, so a writer cannot forge it and all rows of one write share it.
 *
 * Where a follower stands is a PostgreSQL snapshot (`pg_current_snapshot()`, text `xmin:xmax:xip,…`):
 * "handed out already" is exactly "its transaction is visible in the snapshot of my last read". A
 * read hands out the rows visible now but not in that snapshot, and its own snapshot becomes the next
 * cursor — the batch scheme of PgQ. A write that was in flight at the last read is in the snapshot's
 * in-progress list and is picked up when it commits, however late; nothing waits for it meanwhile.
 *
 * When a read has more rows than a page holds, the rest of that same read is pinned: `upto` is the
 * read's snapshot and `after` the last (tx, id) handed out, so the next page continues inside the
 * same set instead of mixing in transactions that committed since.
 */
export type CommitOrderCursor =
  | { since: string; upto?: undefined }
  | { since: string; upto: string; afterTx: string; afterId: string };

/** Bounds a crafted cursor; a real one holds one id per concurrent writer (max_connections). */
const MAX_CURSOR_LENGTH = 8192;
const SNAPSHOT = /^(\d{1,19}):(\d{1,19}):((?:\d{1,19})(?:,\d{1,19})*)?$/;
const TX_ID = /^\d{1,19}$/;
const RECORD_ID = /^\d{1,18}$/;
const SEPARATOR = '~';
const MAX_XID8 = 2n ** 63n - 1n;

export function encodeCommitOrderCursor(cursor: CommitOrderCursor): string {
  return cursor.upto === undefined ? cursor.since : [cursor.since, cursor.upto, cursor.afterTx, cursor.afterId].join(SEPARATOR);
}

/** A 400 problem naming `cursor` for anything that is not a cursor this module made. */
export function decodeCommitOrderCursor(text: string): CommitOrderCursor {
  const parts = text.length <= MAX_CURSOR_LENGTH ? text.split(SEPARATOR) : [];
  if (parts.length === 1 && isSnapshot(parts[0] as string)) return { since: parts[0] as string };
  if (parts.length === 4) {
    const [since, upto, afterTx, afterId] = parts as [string, string, string, string];
    if (isSnapshot(since) && isSnapshot(upto) && TX_ID.test(afterTx) && BigInt(afterTx) <= MAX_XID8 && RECORD_ID.test(afterId)) return { since, upto, afterTx, afterId };
  }
  throw new ProblemError(400, 'Bad Request', 'cursor is not a follow cursor of this store; pass a `next` or a record `cursor` from an earlier follow page', [
    { path: 'cursor', message: 'not a follow cursor' },
  ]);
}

/** The in-progress transaction ids of a snapshot (`xmin:xmax:xip,…`) that decodeCommitOrderCursor accepted. */
function inProgress(snapshot: string): string[] {
  const list = snapshot.split(':')[2] ?? '';
  return list === '' ? [] : list.split(',');
}

/** The checks PostgreSQL's pg_snapshot input applies, so a bad cursor is a 400 here, not a SQL error. */
function isSnapshot(text: string): boolean {
  const match = SNAPSHOT.exec(text);
  if (!match) return false;
  const xmin = BigInt(match[1] as string);
  const xmax = BigInt(match[2] as string);
  if (xmin < 1n || xmax < xmin || xmax > MAX_XID8) return false;
  let previous = xmin - 1n;
  for (const item of match[3] ? match[3].split(',') : []) {
    const xid = BigInt(item);
    if (xid <= previous || xid >= xmax) return false;
    previous = xid;
  }
  return true;
}

export interface CommitOrderFollow {
  /** The store's connection: the follow opens its own read-only transaction on it. */
  knex: Knex | Knex.Transaction;
  tenantId: string;
  table: string;
  /** The caller's `cursor` (undefined: start with the newest rows). */
  cursor: string | undefined;
  limit: number;
  /** The rows the follower asked for, in a read of `db`: `db.table(table).select(…)` with its filters. */
  matching(db: TenantDb): Knex.QueryBuilder;
  /** The order of the starting page, newest first (it is handed out oldest first). */
  newestFirst: ReadonlyArray<{ column: string; order: 'asc' | 'desc' }>;
}

export interface CommitOrderPage<Row> {
  /** Each row with the cursor that resumes right after it. */
  items: Array<{ row: Row; cursor: string }>;
  /** Always set: the position after this page. */
  next: string;
}

/**
 * One follow page. Without a cursor: the newest `limit` matching rows, and a cursor from which
 * whatever commits later follows. With one: the rows of transactions not visible in it, in the order
 * (tx, id) — each write whole and in insertion order, never interleaved with another.
 */
export async function followInCommitOrder<Row>(follow: CommitOrderFollow): Promise<CommitOrderPage<Row>> {
  const cursor = follow.cursor === undefined ? null : decodeCommitOrderCursor(follow.cursor);
  const { limit, table } = follow;
  // Repeatable read: the snapshot taken first is the one every read below sees, so the rows and the
  // cursor that says which rows those were agree exactly. Read-only, so no transaction id is taken
  // and no writer ever waits for a follower.
  return follow.knex.transaction(
    async (trx) => {
      const db = scopeToTenant(trx, follow.tenantId);
      const now = (await db.raw<{ rows: Array<{ snapshot: string }> }>('SELECT pg_current_snapshot()::text AS snapshot')).rows[0]?.snapshot as string;
      if (cursor === null) {
        const rows = (await follow.matching(db).orderBy([...follow.newestFirst]).limit(limit)) as Row[];
        const next = encodeCommitOrderCursor({ since: now });
        return { items: rows.reverse().map((row) => ({ row, cursor: next })), next };
      }
      let read = cursor;
      let rows = await unseen<Row>(db, follow, read, limit + 1);
      if (rows.length === 0 && read.upto !== undefined) {
        // The pinned read is used up: go on from its snapshot.
        read = { since: read.upto };
        rows = await unseen<Row>(db, follow, read, limit + 1);
      }
      const upto = read.upto ?? now;
      const page = rows.slice(0, limit);
      const positionAfter = (row: UnseenRow): CommitOrderCursor => ({ since: read.since, upto, afterTx: row.commit_order_tx, afterId: String(row.commit_order_id) });
      const items = page.map((row) => ({ row: row as Row, cursor: encodeCommitOrderCursor(positionAfter(row)) }));
      const last = page.at(-1);
      const cutShort = rows.length > limit && last !== undefined;
      // A page cut short continues inside its read; one that ends the read continues from its snapshot.
      const next = encodeCommitOrderCursor(cutShort ? positionAfter(last) : { since: upto });
      if (!cutShort && last !== undefined) (items.at(-1) as { cursor: string }).cursor = next;
      return { items, next };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

/** The position columns every unseen row carries; tx as text, since JavaScript has no 64-bit integer for it. */
interface UnseenRow {
  commit_order_tx: string;
  commit_order_id: string | number;
}

/**
 * Rows of transactions not visible in `read.since` (so: not handed out yet), in (tx, id) order; this
 * read's own snapshot hides whatever is still running. Not visible in a snapshot means newer than its
 * xmax, or in its in-progress list: index lookups on (tenant_id, tx), read as two arms of a UNION
 * ALL — as one OR, PostgreSQL scans the tenant's whole index (measured on logs: 127 ms against
 * 0.08 ms with 125k records). The in-progress list is taken from the cursor's text and bound as an
 * array, and its arm left out when the list is empty (the usual case): computed inside the query
 * (`pg_snapshot_xip(…)`), the planner guesses 50 ids and filters the whole run instead (3 ms for a
 * run of 2,100 lines, growing with the run).
 */
async function unseen<Row>(db: TenantDb, follow: CommitOrderFollow, read: CommitOrderCursor, limit: number): Promise<Array<Row & UnseenRow>> {
  const tx = `${follow.table}.tx`;
  const id = `${follow.table}.id`;
  const arm = (condition: string, binding: string) => {
    const builder = follow
      .matching(db)
      .select(db.raw(`${tx} AS commit_order_xid`), db.raw(`${tx}::text AS commit_order_tx`), db.raw(`${id} AS commit_order_id`))
      .whereRaw(condition, [binding]);
    if (read.upto !== undefined) {
      builder.whereRaw(`pg_visible_in_snapshot(${tx}, ?::pg_snapshot) AND (${tx}, ${id}) > (?::xid8, ?::bigint)`, [read.upto, read.afterTx, read.afterId]);
    }
    return builder.orderBy([{ column: tx, order: 'asc' }, { column: id, order: 'asc' }]).limit(limit);
  };
  const newer = arm(`${tx} >= pg_snapshot_xmax(?::pg_snapshot)`, read.since);
  const running = inProgress(read.since);
  if (running.length === 0) return (await newer) as Array<Row & UnseenRow>;
  const wereRunning = arm(`${tx} = ANY (?::xid8[])`, `{${running.join(',')}}`);
  const rows = await db.raw<{ rows: Array<Row & UnseenRow> }>('SELECT * FROM (? UNION ALL ?) AS unseen ORDER BY commit_order_xid, commit_order_id LIMIT ?', [newer, wereRunning, limit]);
  return rows.rows;
}
