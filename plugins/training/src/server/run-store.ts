import { notFound, ProblemError, type MetricSummary, type TenantDb } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import type { RunStatus } from './ingest-schema.js';
import type { RunHeader, StoredRunOrder } from './run-header.js';

export interface RunRow {
  id: string;
  tenant_id: string;
  project_id: string;
  project_name: string;
  client_run_id: string;
  name: string;
  status: RunStatus;
  framework: string | null;
  params: Record<string, unknown>;
  tags: Record<string, unknown>;
  notes: string | null;
  started_at: Date;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
  created_by_email: string | null;
}

/** The user a run's first batch came from (session or API token). */
export interface RunCreator {
  userId: string;
  email: string;
}

const RUN_COLUMNS = `runs.id, runs.tenant_id, runs.project_id, p.name AS project_name, runs.client_run_id, runs.name, runs.status,
  runs.framework, runs.params, runs.tags, runs.notes, runs.started_at, runs.ended_at, runs.created_at, runs.updated_at, runs.created_by_email`;

const toDate = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

/** A final status without ended_at ends the run now; `running` clears ended_at; no status leaves it. */
function endedAt(header: RunHeader): { set: boolean; value: Date | null } {
  if (header.endedAt !== undefined && header.endedAt !== null) return { set: true, value: new Date(header.endedAt) };
  if (header.status === undefined) return { set: false, value: null };
  return { set: true, value: header.status === 'running' ? null : new Date() };
}

export interface LockedRun extends StoredRunOrder {
  id: string;
  /** true when this transaction made the run from the header (so the header is already applied). */
  created: boolean;
  /** true while the run is being deleted (run-service.ts): it takes no more batches. */
  deleting: boolean;
}

/**
 * The run named by the header, its row locked until the transaction ends, so batches of one run apply
 * their headers one at a time; a run seen for the first time is created from the header.
 */
export async function lockOrCreateRun(trx: TenantDb, projectId: string, header: RunHeader, creator: RunCreator | null = null): Promise<LockedRun> {
  type Row = { id: string; status: RunStatus; header_revision: string | null; deleting_since: Date | null };
  const locked = (row: Row, created: boolean): LockedRun => ({
    id: row.id, status: row.status, revision: row.header_revision === null ? null : Number(row.header_revision), created, deleting: row.deleting_since !== null,
  });
  // Two rounds at most: when a concurrent first batch creates the run between our look and our
  // insert, the insert does nothing and the second look finds (and waits for) its row.
  for (let round = 0; round < 2; round++) {
    const existing = await trx.raw<{ rows: Row[] }>(
      'SELECT id, status, header_revision, deleting_since FROM runs WHERE tenant_id = ? AND client_run_id = ? FOR UPDATE',
      [trx.tenantId, header.clientRunId],
    );
    if (existing.rows[0]) return locked(existing.rows[0], false);
    const ended = endedAt(header);
    const inserted = await trx.raw<{ rows: Row[] }>(
      `INSERT INTO runs (tenant_id, project_id, client_run_id, name, status, framework, params, tags, started_at, ended_at, header_revision, created_by, created_by_email)
       VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, COALESCE(?::timestamptz, now()), ?::timestamptz, ?::bigint, ?::uuid, ?)
       ON CONFLICT (tenant_id, client_run_id) DO NOTHING
       RETURNING id, status, header_revision, deleting_since`,
      [
        trx.tenantId, projectId, header.clientRunId, header.name ?? header.clientRunId, header.status ?? 'running', header.framework ?? null,
        JSON.stringify(header.params ?? {}), JSON.stringify(header.tags ?? {}), toDate(header.startedAt), ended.value, header.revision ?? null,
        creator && UUID.test(creator.userId) ? creator.userId : null, creator?.email ?? null,
      ],
    );
    if (inserted.rows[0]) return locked(inserted.rows[0], true);
  }
  throw new Error(`run ${header.clientRunId} was neither found nor created`);
}

/**
 * Applies a header to a run locked by lockOrCreateRun. Tags and params merge (a later header adds keys,
 * never drops them); name, framework, status and the times change only when the header names them.
 */
export async function applyRunHeader(trx: TenantDb, runId: string, header: RunHeader): Promise<RunStatus> {
  const ended = endedAt(header);
  const result = await trx.raw<{ rows: { status: RunStatus }[] }>(
    `UPDATE runs SET
       name = COALESCE(?, name),
       framework = COALESCE(?, framework),
       params = params || ?::jsonb,
       tags = tags || ?::jsonb,
       status = COALESCE(?, status),
       started_at = COALESCE(?::timestamptz, started_at),
       ended_at = CASE WHEN ?::boolean THEN ?::timestamptz ELSE ended_at END,
       header_revision = COALESCE(?::bigint, header_revision),
       updated_at = now()
     WHERE tenant_id = ? AND id = ?
     RETURNING status`,
    [
      header.name ?? null, header.framework ?? null, JSON.stringify(header.params ?? {}), JSON.stringify(header.tags ?? {}), header.status ?? null,
      toDate(header.startedAt), ended.set, ended.value, header.revision ?? null, trx.tenantId, runId,
    ],
  );
  return result.rows[0]!.status;
}

function runsQuery(db: TenantDb): Knex.QueryBuilder {
  return db.table('runs').join('projects as p', function joinProject() {
    this.on('p.id', '=', 'runs.project_id').andOn('p.tenant_id', '=', 'runs.tenant_id');
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run of the request's tenant, or 404 — another tenant's run id is indistinguishable from a missing one. */
export async function getRun(db: TenantDb, id: string): Promise<RunRow> {
  if (!UUID.test(id)) throw notFound(`run ${id}`);
  const row = (await runsQuery(db).where('runs.id', id).first(db.raw(RUN_COLUMNS))) as RunRow | undefined;
  if (!row) throw notFound(`run ${id}`);
  return row;
}

export interface RunFilters {
  page: number;
  page_size: number;
  sort?: string | undefined;
  q?: string | undefined;
  project?: string | undefined;
  status?: RunStatus | undefined;
  tags: [string, string][];
  params: [string, string][];
  /** Runs active at some moment of [activeFrom, activeTo]: started before its end, not ended before its start. */
  activeFrom?: Date | undefined;
  activeTo?: Date | undefined;
}

const SORT_COLUMNS: Record<string, string> = { created_at: 'runs.created_at', started_at: 'runs.started_at', name: 'runs.name', status: 'runs.status', updated_at: 'runs.updated_at' };

export async function listRuns(db: TenantDb, filters: RunFilters): Promise<{ rows: RunRow[]; total: number }> {
  const base = runsQuery(db);
  if (filters.project) {
    if (UUID.test(filters.project)) base.where((w) => w.where('runs.project_id', filters.project).orWhere('p.name', filters.project));
    else base.where('p.name', filters.project);
  }
  if (filters.status) base.where('runs.status', filters.status);
  if (filters.q) {
    // The search box and the global search find a run by its name, its id, its client id or a tag (key or value).
    const like = `%${filters.q.replace(/[\\%_]/g, '\\$&')}%`;
    const q = filters.q;
    base.where((w) => {
      w.whereILike('runs.name', like).orWhere('runs.client_run_id', q);
      if (UUID.test(q)) w.orWhere('runs.id', q);
      w.orWhereRaw('EXISTS (SELECT 1 FROM jsonb_each_text(runs.tags) t WHERE t.key ILIKE ? OR t.value ILIKE ?)', [like, like]);
    });
  }
  if (filters.activeTo) base.where('runs.started_at', '<=', filters.activeTo);
  if (filters.activeFrom) base.where((w) => w.whereNull('runs.ended_at').orWhere('runs.ended_at', '>=', filters.activeFrom!));
  // Containment (@>) is served by the GIN jsonb_path_ops index.
  for (const [key, value] of filters.tags) base.whereRaw('runs.tags @> ?::jsonb', [JSON.stringify({ [key]: value })]);
  // A param may be stored as a number or a string; compare its text form.
  for (const [key, value] of filters.params) base.whereRaw('runs.params ->> ? = ?', [key, value]);

  const [{ total } = { total: 0 }] = (await base.clone().count({ total: '*' })) as { total: string | number }[];
  const sort = filters.sort ?? '-created_at';
  const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  const field = sort.replace(/^-/, '');
  const ordered = base.clone().select(db.raw(RUN_COLUMNS));
  if (field.startsWith('metric.')) {
    // NaN/±Inf are not JSON, so metric_last holds null for them: they sort last either way.
    ordered.orderByRaw(`(runs.metric_last ->> ?)::float8 ${direction} NULLS LAST`, [field.slice('metric.'.length)]);
  } else {
    const column = SORT_COLUMNS[field];
    if (!column) throw new ProblemError(400, 'Bad Request', `cannot sort by ${field}`);
    ordered.orderBy(column, direction.toLowerCase() as 'asc' | 'desc');
  }
  const rows = (await ordered.orderBy('runs.id').limit(filters.page_size).offset((filters.page - 1) * filters.page_size)) as RunRow[];
  return { rows, total: Number(total) };
}

export async function updateRun(db: TenantDb, id: string, patch: { name?: string | undefined; notes?: string | null | undefined; tags?: Record<string, unknown> | undefined }): Promise<RunRow> {
  await getRun(db, id);
  const changes: Record<string, unknown> = { updated_at: db.fn.now() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.notes !== undefined) changes.notes = patch.notes;
  // PATCH replaces the tag set: the UI sends the whole edited map, so removing a tag is possible.
  if (patch.tags !== undefined) changes.tags = JSON.stringify(patch.tags);
  await db.table('runs').where('runs.id', id).update(changes);
  return getRun(db, id);
}

/** Keeps the copy of last values the runs list sorts by; NaN/±Inf become null (JSON cannot hold them). */
export async function storeMetricLast(db: TenantDb, runId: string, summaries: MetricSummary[]): Promise<void> {
  if (summaries.length === 0) return;
  const last: Record<string, number | null> = {};
  for (const s of summaries) last[s.name] = Number.isFinite(s.last) ? s.last : null;
  await db.table('runs').where('runs.id', runId).update({ metric_last: db.raw('runs.metric_last || ?::jsonb', [JSON.stringify(last)]) });
}

/** The first step of a deletion; waits for a batch applying its header to this run (the row lock). */
export async function markRunDeleting(db: TenantDb, runId: string): Promise<void> {
  await db.table('runs').where('runs.id', runId).whereNull('runs.deleting_since').update({ deleting_since: db.fn.now() });
}

/**
 * Marks a stored batch complete, unless its run is being deleted or is gone: then false, and what the
 * batch wrote to the ports may have missed the deletion's sweep.
 */
export async function completeBatch(db: TenantDb, batchId: string): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(
    `UPDATE ingest_batches b SET state = 'complete'
     FROM runs r
     WHERE b.tenant_id = ? AND b.batch_id = ? AND r.tenant_id = b.tenant_id AND r.id = b.run_id AND r.deleting_since IS NULL
     RETURNING b.batch_id`,
    [db.tenantId, batchId],
  );
  return result.rows.length > 0;
}

export async function deleteRunRows(db: TenantDb, runId: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.table('ingest_batches').where('ingest_batches.run_id', runId).delete();
    await trx.table('artifacts').where('artifacts.run_id', runId).delete();
    await trx.table('runs').where('runs.id', runId).delete();
  });
}
