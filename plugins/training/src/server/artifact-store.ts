import { notFound, type TenantDb } from '@oneservice/plugin-sdk';

export const ARTIFACT_TYPES = ['model', 'tensorboard', 'checkpoint', 'other'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** File endings Netron opens; the newest artifact with one of them is the run's model graph. */
export const MODEL_EXTENSIONS = ['.onnx', '.pt', '.pth', '.pb', '.tflite', '.h5', '.keras'] as const;

export interface ArtifactRow {
  id: string;
  run_id: string;
  path: string;
  type: ArtifactType;
  size: string | number;
  sha256: string;
  storage_key: string;
  created_at: Date;
}

export const artifactKey = (runId: string, path: string) => `runs/${runId}/${path}`;

/** Re-uploading a path replaces it (the object store overwrites the same key). */
export async function recordArtifact(db: TenantDb, row: Omit<ArtifactRow, 'id' | 'created_at'>): Promise<ArtifactRow> {
  const result = await db.raw<{ rows: ArtifactRow[] }>(
    `INSERT INTO artifacts (tenant_id, run_id, path, type, size, sha256, storage_key) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, run_id, path) DO UPDATE SET type = EXCLUDED.type, size = EXCLUDED.size, sha256 = EXCLUDED.sha256,
       storage_key = EXCLUDED.storage_key, created_at = now()
     RETURNING *`,
    [db.tenantId, row.run_id, row.path, row.type, row.size, row.sha256, row.storage_key],
  );
  return result.rows[0]!;
}

export async function listArtifacts(db: TenantDb, runId: string): Promise<ArtifactRow[]> {
  return db.table('artifacts').where('artifacts.run_id', runId).orderBy('artifacts.created_at', 'desc').orderBy('artifacts.path');
}

export async function getArtifact(db: TenantDb, runId: string, id: string): Promise<ArtifactRow> {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const row = UUID.test(id) ? ((await db.table('artifacts').where({ 'artifacts.run_id': runId, 'artifacts.id': id }).first()) as ArtifactRow | undefined) : undefined;
  if (!row) throw notFound(`artifact ${id} of run ${runId}`);
  return row;
}

export async function newestModel(db: TenantDb, runId: string): Promise<ArtifactRow | null> {
  const row = (await db
    .table('artifacts')
    .where('artifacts.run_id', runId)
    .where((w) => {
      for (const ext of MODEL_EXTENSIONS) w.orWhereILike('artifacts.path', `%${ext}`);
    })
    .orderBy('artifacts.created_at', 'desc')
    .first()) as ArtifactRow | undefined;
  return row ?? null;
}
