import {
  followInCommitOrder,
  LOG_LEVELS,
  ProblemError,
  scopeToTenant,
  type FollowedLogRecord,
  type HistogramBucket,
  type LogFollow,
  type LogFollowPage,
  type LogPage,
  type LogRecord,
  type LogSearch,
  type LogsPort,
  type StoredLogRecord,
  type TenantDb,
} from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import { applyLogFilters, toDate } from './log-query-filter.js';
import { levelRank } from './query/index.js';

/** Rows per INSERT: 11 parameters a row keeps a statement far below PostgreSQL's 65535 limit. */
const INSERT_CHUNK = 2000;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const MAX_BUCKETS = 1000;

interface LogRow {
  id: string;
  ts: Date;
  level: number;
  message: string;
  service: string | null;
  host: string | null;
  run_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  stream: string | null;
  fields: Record<string, unknown> | null;
}

const COLUMNS = ['id', 'ts', 'level', 'message', 'service', 'host', 'run_id', 'trace_id', 'span_id', 'stream', 'fields'];
/** A follow starts with the newest lines, as a screen does. */
const NEWEST_FIRST = [{ column: 'ts', order: 'desc' }, { column: 'id', order: 'desc' }] as const;

/** The logs port on the platform's PostgreSQL, bound to one tenant. */
export class PostgresLogStore implements LogsPort {
  private readonly db: TenantDb;

  constructor(private readonly knex: Knex, tenantId: string) {
    this.db = scopeToTenant(knex, tenantId);
  }

  async write(records: LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(toRow);
    // One transaction: a batch is stored whole or not at all, so a retried batch never half-duplicates.
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert('log_records', rows.slice(i, i + INSERT_CHUNK));
    });
  }

  async search(search: LogSearch): Promise<LogPage> {
    const limit = clampLimit(search.limit);
    const direction = search.order === 'asc' ? 'asc' : 'desc';
    const builder = applyLogFilters(this.db.table('log_records').select(COLUMNS), search);
    if (search.after !== undefined) {
      const after = parseRecordId(search.after);
      // The cursor is a record id; its (ts, id) is looked up in this tenant only, so another
      // tenant's id finds no row and yields an empty page rather than a position.
      builder.whereRaw(
        `(ts, id) ${direction === 'asc' ? '>' : '<'} (SELECT c.ts, c.id FROM log_records c WHERE c.tenant_id = ? AND c.id = ?)`,
        [this.db.tenantId, after],
      );
    }
    const rows = (await builder.orderBy([{ column: 'ts', order: direction }, { column: 'id', order: direction }]).limit(limit + 1)) as LogRow[];
    const items = rows.slice(0, limit).map(fromRow);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  async follow(follow: LogFollow): Promise<LogFollowPage> {
    const filters = { runId: follow.runId, query: follow.query, from: follow.from };
    const page = await followInCommitOrder<LogRow>({
      knex: this.knex,
      tenantId: this.db.tenantId,
      table: 'log_records',
      cursor: follow.cursor,
      limit: clampLimit(follow.limit),
      matching: (db) => applyLogFilters(db.table('log_records').select(COLUMNS), filters),
      newestFirst: NEWEST_FIRST,
    });
    return { items: page.items.map(({ row, cursor }): FollowedLogRecord => ({ ...fromRow(row), cursor })), next: page.next };
  }

  async histogram(search: Omit<LogSearch, 'limit' | 'after' | 'order'> & { buckets: number }): Promise<HistogramBucket[]> {
    const count = search.buckets;
    if (!Number.isInteger(count) || count < 1 || count > MAX_BUCKETS) {
      throw new ProblemError(400, 'Bad Request', `buckets must be an integer from 1 to ${MAX_BUCKETS}`);
    }
    const to = search.to ?? Date.now();
    const from = search.from ?? (await this.earliest(search)) ?? to - 3_600_000;
    if (to < from) throw new ProblemError(400, 'Bad Request', 'to must not be before from');
    // +1: the range is inclusive at both ends, so a record at exactly `to` falls in the last bucket.
    const width = Math.max(1, Math.ceil((to - from + 1) / count));
    const builder = applyLogFilters(this.db.table('log_records'), { ...search, from, to })
      .select(this.db.raw('floor((extract(epoch from ts) * 1000 - ?) / ?)::int as bucket', [from, width]))
      .count({ count: '*' })
      .groupBy('bucket');
    const rows = (await builder) as Array<{ bucket: number; count: string | number }>;
    const buckets: HistogramBucket[] = Array.from({ length: count }, (_, i) => ({ ts: from + i * width, count: 0 }));
    for (const row of rows) {
      const bucket = buckets[row.bucket];
      if (bucket) bucket.count += Number(row.count);
    }
    return buckets;
  }

  /** Served by the (tenant_id, run_id, ts, id) index. */
  async deleteRun(runId: string): Promise<void> {
    await this.db.table('log_records').where('run_id', runId).delete();
  }

  private async earliest(search: Omit<LogSearch, 'limit' | 'after' | 'order'>): Promise<number | null> {
    const row = (await applyLogFilters(this.db.table('log_records'), search).min({ first: 'ts' }).first()) as { first: Date | null } | undefined;
    return row?.first ? row.first.getTime() : null;
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ProblemError(400, 'Bad Request', 'limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

function parseRecordId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new ProblemError(400, 'Bad Request', `'${id}' is not a log record id`, [{ path: 'after', message: 'not a record id' }]);
  return id;
}

/** PostgreSQL text and jsonb cannot hold U+0000; a stray NUL in a log line must not reject the batch. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

function toRow(record: LogRecord): Record<string, unknown> {
  if (!Number.isFinite(record.ts)) throw new ProblemError(400, 'Bad Request', 'a log record needs ts in epoch milliseconds');
  if (!(LOG_LEVELS as readonly string[]).includes(record.level)) {
    throw new ProblemError(400, 'Bad Request', `unknown log level '${String(record.level)}'; expected one of ${LOG_LEVELS.join(', ')}`);
  }
  if (typeof record.message !== 'string') throw new ProblemError(400, 'Bad Request', 'a log record needs a message');
  return {
    ts: toDate(record.ts, 'ts'),
    level: levelRank(record.level),
    message: withoutNul(record.message),
    service: record.service ?? null,
    host: record.host ?? null,
    run_id: record.runId ?? null,
    trace_id: record.traceId ?? null,
    span_id: record.spanId ?? null,
    stream: record.stream ?? null,
    fields: JSON.stringify(record.fields ?? {}, (_key, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value)),
  };
}

function fromRow(row: LogRow): StoredLogRecord {
  return {
    id: String(row.id),
    ts: row.ts.getTime(),
    level: LOG_LEVELS[row.level] ?? 'info',
    message: row.message,
    service: row.service,
    host: row.host,
    runId: row.run_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    stream: row.stream,
    fields: row.fields ?? {},
  };
}
