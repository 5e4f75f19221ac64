import { ProblemError } from '@oneservice/plugin-sdk';

/**
 * Where a follower stands, as PostgreSQL snapshots (`pg_current_snapshot()`, text form
 * `xmin:xmax:xip,…`). Every record carries the id of the transaction that wrote it (`tx`), so
 * "handed out already" is exactly "its transaction is visible in the snapshot of my last read".
 * A read hands out the records visible now but not in that snapshot, and its own snapshot becomes
 * the next cursor — the batch scheme of PgQ. A batch that was in flight at the last read is in the
 * snapshot's in-progress list and is picked up when it commits, however late; nothing waits for
 * it meanwhile.
 *
 * When a read has more records than a page holds, the rest of that same read is pinned: `upto` is
 * the read's snapshot and `after` the last (tx, id) handed out, so the next page continues inside
 * the same set instead of mixing in transactions that committed since.
 */
export type FollowCursor =
  | { since: string; upto?: undefined }
  | { since: string; upto: string; afterTx: string; afterId: string };

/** Bounds a crafted cursor; a real one holds one id per concurrent writer (max_connections). */
const MAX_CURSOR_LENGTH = 8192;
const SNAPSHOT = /^(\d{1,19}):(\d{1,19}):((?:\d{1,19})(?:,\d{1,19})*)?$/;
const TX_ID = /^\d{1,19}$/;
const RECORD_ID = /^\d{1,18}$/;
const SEPARATOR = '~';
const MAX_XID8 = 2n ** 63n - 1n;

export function encodeFollowCursor(cursor: FollowCursor): string {
  return cursor.upto === undefined ? cursor.since : [cursor.since, cursor.upto, cursor.afterTx, cursor.afterId].join(SEPARATOR);
}

export function decodeFollowCursor(text: string): FollowCursor {
  const parts = text.length <= MAX_CURSOR_LENGTH ? text.split(SEPARATOR) : [];
  if (parts.length === 1 && isSnapshot(parts[0] as string)) return { since: parts[0] as string };
  if (parts.length === 4) {
    const [since, upto, afterTx, afterId] = parts as [string, string, string, string];
    if (isSnapshot(since) && isSnapshot(upto) && TX_ID.test(afterTx) && BigInt(afterTx) <= MAX_XID8 && RECORD_ID.test(afterId)) return { since, upto, afterTx, afterId };
  }
  throw new ProblemError(400, 'Bad Request', 'cursor is not a follow cursor of this logs store; pass a `next` or a record `cursor` from an earlier follow page', [
    { path: 'cursor', message: 'not a follow cursor' },
  ]);
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
