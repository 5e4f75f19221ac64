import {
  EVENT_SEVERITIES,
  followInCommitOrder,
  ProblemError,
  scopeToTenant,
  type EventFollow,
  type EventFollowPage,
  type EventPage,
  type EventRecord,
  type EventSearch,
  type EventSeverity,
  type EventsPort,
  type FollowedEventRecord,
  type StoredEventRecord,
  type TenantDb,
} from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';

const INSERT_CHUNK = 2000;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

interface EventRow {
  id: string;
  ts: Date;
  type: string;
  source: string;
  severity: EventSeverity;
  message: string | null;
  run_id: string | null;
  attributes: Record<string, string> | null;
  payload: Record<string, unknown> | null;
}

const COLUMNS = ['id', 'ts', 'type', 'source', 'severity', 'message', 'run_id', 'attributes', 'payload'];
/** A follow starts with the newest events, as a screen does. */
const NEWEST_FIRST = [{ column: 'ts', order: 'desc' }, { column: 'id', order: 'desc' }] as const;

/** The events port on the platform's PostgreSQL, bound to one tenant. */
export class PostgresEventStore implements EventsPort {
  private readonly db: TenantDb;

  constructor(private readonly knex: Knex, tenantId: string) {
    this.db = scopeToTenant(knex, tenantId);
  }

  async write(events: EventRecord[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(toRow);
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert('event_records', rows.slice(i, i + INSERT_CHUNK));
    });
  }

  async search(search: EventSearch): Promise<EventPage> {
    const limit = clampLimit(search.limit);
    const direction = search.order === 'asc' ? 'asc' : 'desc';
    const builder = applyEventFilters(this.db.table('event_records').select(COLUMNS), search);
    if (search.to !== undefined) builder.where('ts', '<=', toDate(search.to, 'to'));
    if (search.after !== undefined) {
      // The cursor's position is looked up in this tenant only: another tenant's id matches no row.
      builder.whereRaw(
        `(ts, id) ${direction === 'asc' ? '>' : '<'} (SELECT c.ts, c.id FROM event_records c WHERE c.tenant_id = ? AND c.id = ?)`,
        [this.db.tenantId, parseRecordId(search.after)],
      );
    }
    const rows = (await builder.orderBy([{ column: 'ts', order: direction }, { column: 'id', order: direction }]).limit(limit + 1)) as EventRow[];
    const items = rows.slice(0, limit).map(fromRow);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  async follow(follow: EventFollow): Promise<EventFollowPage> {
    const page = await followInCommitOrder<EventRow>({
      knex: this.knex,
      tenantId: this.db.tenantId,
      table: 'event_records',
      cursor: follow.cursor,
      limit: clampLimit(follow.limit),
      matching: (db) => applyEventFilters(db.table('event_records').select(COLUMNS), follow),
      newestFirst: NEWEST_FIRST,
    });
    return { items: page.items.map(({ row, cursor }): FollowedEventRecord => ({ ...fromRow(row), cursor })), next: page.next };
  }

  /** Served by the (tenant_id, run_id, ts, id) index. */
  async deleteRun(runId: string): Promise<void> {
    await this.db.table('event_records').where('run_id', runId).delete();
  }
}

/** The filters search and follow share. */
function applyEventFilters<T extends Knex.QueryBuilder>(builder: T, search: EventFollow): T {
  if (search.from !== undefined) builder.where('ts', '>=', toDate(search.from, 'from'));
  if (search.types?.length) builder.whereIn('type', search.types);
  if (search.sources?.length) builder.whereIn('source', search.sources);
  if (search.severities?.length) builder.whereIn('severity', search.severities.map(checkSeverity));
  if (search.runId !== undefined) builder.where('run_id', search.runId);
  if (search.attributes && Object.keys(search.attributes).length > 0) {
    // Containment answers "all of these attributes, exactly" from the jsonb_path_ops index.
    builder.whereRaw('attributes @> ?::jsonb', [JSON.stringify(search.attributes)]);
  }
  for (const word of words(search.text)) {
    const pattern = `%${escapeLike(word)}%`;
    builder.where((w) => w.whereILike('type', pattern).orWhereILike('message', pattern));
  }
  return builder;
}

const words = (text: string | undefined) => (text ?? '').split(/\s+/).filter((word) => word.length > 0);
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');
/** PostgreSQL text and jsonb cannot hold U+0000. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);
const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ProblemError(400, 'Bad Request', 'limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

function parseRecordId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new ProblemError(400, 'Bad Request', `'${id}' is not an event id`, [{ path: 'after', message: 'not an event id' }]);
  return id;
}

function toDate(ms: number, name: string): Date {
  if (!Number.isFinite(ms)) throw new ProblemError(400, 'Bad Request', `${name} must be a time in epoch milliseconds`);
  return new Date(ms);
}

function checkSeverity(severity: string): EventSeverity {
  if ((EVENT_SEVERITIES as readonly string[]).includes(severity)) return severity as EventSeverity;
  throw new ProblemError(400, 'Bad Request', `unknown severity '${severity}'; expected one of ${EVENT_SEVERITIES.join(', ')}`);
}

function toRow(event: EventRecord): Record<string, unknown> {
  if (!event.type || !event.source) throw new ProblemError(400, 'Bad Request', 'an event needs a type and a source');
  return {
    ts: toDate(event.ts, 'ts'),
    type: withoutNul(event.type),
    source: withoutNul(event.source),
    severity: checkSeverity(event.severity),
    message: event.message == null ? null : withoutNul(event.message),
    run_id: event.runId ?? null,
    attributes: json(event.attributes ?? {}),
    payload: json(event.payload ?? {}),
  };
}

function fromRow(row: EventRow): StoredEventRecord {
  return {
    id: String(row.id),
    ts: row.ts.getTime(),
    type: row.type,
    source: row.source,
    severity: row.severity,
    message: row.message,
    runId: row.run_id,
    attributes: row.attributes ?? {},
    payload: row.payload ?? {},
  };
}
