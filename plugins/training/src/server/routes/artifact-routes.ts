import { ids, notFound, rawReply, type PluginContext, type RouteRequest, objectsPort } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams } from '../api-shapes.js';
import { ARTIFACT_TYPES, artifactKey, getArtifact, listArtifacts, MODEL_EXTENSIONS, newestModel, recordArtifact, type ArtifactRow, type ArtifactType } from '../artifact-store.js';
import { limitedBody } from '../upload-limit.js';
import { getRun } from '../run-store.js';

const artifactSchema = z.object({
  id: z.string(), run_id: z.string(), path: z.string(), type: z.enum(ARTIFACT_TYPES), size: z.number(), sha256: z.string(), created_at: z.string(),
});

const artifactView = (row: ArtifactRow): z.infer<typeof artifactSchema> => ({
  id: row.id, run_id: row.run_id, path: row.path, type: row.type, size: Number(row.size), sha256: row.sha256, created_at: new Date(row.created_at).toISOString(),
});

/** A relative path of plain segments: no `..`, no leading slash, no control characters, each a file name's length at most. */
const artifactPath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '' || s === '.' || s === '..') && !/[\u0000-\u001f\\]/.test(p), {
    message: 'a relative path of plain segments (no "..", no leading "/", no backslashes)',
  })
  .refine((p) => p.split('/').every((s) => Buffer.byteLength(s) <= 255), { message: 'each segment between / is at most 255 bytes (a file name)' });

const CONTENT_TYPES: Record<string, string> = { '.onnx': 'application/octet-stream', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8' };
const contentTypeOf = (path: string) => CONTENT_TYPES[path.slice(path.lastIndexOf('.')).toLowerCase()] ?? 'application/octet-stream';
const downloadUrl = (runId: string, artifactId: string) => `/api/v1/runs/${runId}/artifacts/${artifactId}/download`;

export function registerArtifactRoutes(ctx: PluginContext): void {
  const tags = ['training'];
  // Declared in plugin.json (`config`), parsed and bounded by the kernel.
  const maxBytes = ctx.config.settings.ARTIFACT_MAX_BYTES as number;
  // One route for training scripts (an `ingest` token) and people or tools (a `write` token, or a
  // session): both upload the same way. runs:ingest is held by exactly the roles that hold runs:write.
  ctx.route({
    method: 'POST', path: '/runs/:id/artifacts', permission: 'runs:ingest', scope: ['ingest', 'write'], status: 201, rawBody: true, tags,
    summary: 'Upload or replace an artifact at a path of the run (ingest or write token, or a session; streamed; sha256 and size recorded)',
    schema: {
      params: idParams,
      query: z.object({ path: artifactPath, type: z.enum(ARTIFACT_TYPES).default('other') }),
      response: artifactSchema,
    },
    handler: async ({ db, params, query, stream, headers }: RouteRequest<z.infer<typeof idParams>, { path: string; type: ArtifactType }, unknown>) => {
      const run = await getRun(db, params.id);
      const body = limitedBody(stream, typeof headers['content-length'] === 'string' ? headers['content-length'] : undefined, maxBytes);
      const objects = await ctx.port(objectsPort, db.tenantId);
      const key = artifactKey(run.id, query.path);
      const declared = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
      const contentType = declared && declared !== 'application/octet-stream' ? declared : contentTypeOf(query.path);
      // A put is all or nothing (the objects port writes aside and renames; S3 likewise), so a cut-off
      // upload leaves an earlier file of the same path, and its row, as they were.
      const info = await objects.put(key, body, { contentType });
      return artifactView(await recordArtifact(db, { run_id: run.id, path: query.path, type: query.type, size: info.size, sha256: info.sha256, storage_key: key }));
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/artifacts', permission: 'runs:read', tags, summary: "A run's artifacts",
    schema: { params: idParams, response: z.object({ items: z.array(artifactSchema) }) },
    handler: async ({ db, params }) => {
      const run = await getRun(db, params.id);
      return { items: (await listArtifacts(db, run.id)).map(artifactView) };
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/artifacts/:artifactId/download', permission: 'runs:read', tags, produces: 'application/octet-stream',
    summary: 'Download an artifact (streamed)',
    schema: { params: idParams.extend({ artifactId: ids.uuid() }) },
    handler: async ({ db, params }) => {
      const run = await getRun(db, params.id);
      const artifact = await getArtifact(db, run.id, params.artifactId);
      const object = await (await ctx.port(objectsPort, db.tenantId)).get(artifact.storage_key);
      if (!object) throw notFound(`the stored file of artifact ${artifact.path}`);
      const filename = artifact.path.split('/').at(-1) ?? 'artifact';
      return rawReply({
        headers: {
          'Content-Type': object.info.contentType || 'application/octet-stream',
          'Content-Length': String(object.info.size),
          // RFC 6266: `filename` is the plain-ASCII fallback (a header cannot carry other text), `filename*` the real name.
          'Content-Disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
          'X-Content-SHA256': artifact.sha256,
        },
        body: object.body,
      });
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/model-graph', permission: 'runs:read', tags,
    summary: "Where a model viewer (Netron) can fetch the run's newest model file",
    schema: {
      params: idParams,
      response: z.object({ artifact_id: z.string(), path: z.string(), format: z.string(), size: z.number(), sha256: z.string(), url: z.string() }),
    },
    handler: async ({ db, params }) => {
      const run = await getRun(db, params.id);
      const model = await newestModel(db, run.id);
      if (!model) {
        throw notFound(`a model file of run ${run.id}: upload one (${MODEL_EXTENSIONS.join(', ')}) with POST /api/v1/runs/${run.id}/artifacts?path=model.onnx&type=model`);
      }
      const format = model.path.slice(model.path.lastIndexOf('.') + 1).toLowerCase();
      return { artifact_id: model.id, path: model.path, format, size: Number(model.size), sha256: model.sha256, url: downloadUrl(run.id, model.id) };
    },
  });
}
