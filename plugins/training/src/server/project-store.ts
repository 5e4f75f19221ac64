import { conflict, notFound, parseSort, type TenantDb } from '@oneservice/plugin-sdk';

export interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  created_at: Date;
  run_count?: string | number;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Create-or-get by name: the ingest path names projects, it never creates duplicates under races. */
export async function ensureProject(db: TenantDb, name: string): Promise<string> {
  const result = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO projects (tenant_id, name) VALUES (?, ?)
     ON CONFLICT (tenant_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [db.tenantId, name],
  );
  return result.rows[0]!.id;
}

export async function listProjects(db: TenantDb, query: { page: number; page_size: number; sort?: string | undefined; q?: string | undefined }) {
  const { column, direction } = parseSort(query.sort, 'name');
  const base = db.table('projects');
  if (query.q) base.whereILike('projects.name', `%${query.q.replace(/[\\%_]/g, '\\$&')}%`);
  const [{ total } = { total: 0 }] = await base.clone().count<{ total: string }[]>({ total: '*' });
  const rows: ProjectRow[] = await base
    .clone()
    .select('projects.*', db.raw('(SELECT count(*) FROM runs r WHERE r.tenant_id = projects.tenant_id AND r.project_id = projects.id) AS run_count'))
    .orderBy(`projects.${column}`, direction)
    .orderBy('projects.id')
    .limit(query.page_size)
    .offset((query.page - 1) * query.page_size);
  return { rows, total: Number(total) };
}

export async function getProject(db: TenantDb, id: string): Promise<ProjectRow> {
  const row: ProjectRow | undefined = await db.table('projects').where('projects.id', id).first();
  if (!row) throw notFound(`project ${id}`);
  return row;
}

export async function createProject(db: TenantDb, input: { name: string; description?: string | null | undefined }): Promise<ProjectRow> {
  try {
    const [row] = (await db.insert('projects', { name: input.name, description: input.description ?? null }).returning('*')) as ProjectRow[];
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a project named ${input.name} already exists`);
    throw error;
  }
}

export async function updateProject(db: TenantDb, id: string, patch: { name?: string | undefined; description?: string | null | undefined }): Promise<ProjectRow> {
  const changes: Record<string, unknown> = {};
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  if (Object.keys(changes).length === 0) return getProject(db, id);
  try {
    const [row] = (await db.table('projects').where('projects.id', id).update(changes).returning('*')) as ProjectRow[];
    if (!row) throw notFound(`project ${id}`);
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a project named ${patch.name} already exists`);
    throw error;
  }
}

/** A project with runs is kept: deleting runs is a separate, audited decision per run. */
export async function deleteProject(db: TenantDb, id: string): Promise<ProjectRow> {
  const project = await getProject(db, id);
  const [{ n } = { n: '0' }] = await db.table('runs').where('runs.project_id', id).count<{ n: string }[]>({ n: '*' });
  if (Number(n) > 0) throw conflict(`project ${project.name} still has ${n} runs; delete them first`);
  await db.table('projects').where('projects.id', id).delete();
  return project;
}
