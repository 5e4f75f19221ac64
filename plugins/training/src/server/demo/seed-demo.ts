import type { DemoTenant, EventRecord, LogRecord, MetricPoint, PluginContext, SpanRecord } from '@oneservice/plugin-sdk';
import { eventsPort, logsPort, objectsPort, runMetricsPort, tracesPort } from '@oneservice/plugin-sdk';
import { randomBytes } from 'node:crypto';
import { artifactKey, recordArtifact } from '../artifact-store.js';
import { ensureProject } from '../project-store.js';
import { lockOrCreateRun, storeMetricLast } from '../run-store.js';
import { buildDemoOnnxModel } from './onnx-model.js';
import { buildEventFile, type ScalarPoint } from './tfrecord.js';

interface DemoRunSpec {
  clientRunId: string;
  project: string;
  name: string;
  tags: Record<string, string>;
  params: Record<string, unknown>;
  lr: number;
  quality: number;
  spikeAt: number | null;
  seed: number;
}

const STEPS = 3000;
const STEPS_PER_EPOCH = 300;
const STEP_MS = 1200;

function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296 - 0.5;
  };
}

/** Realistic-looking curves: exponential loss decay with noise, warmup+cosine lr, saturating accuracy. */
function curves(spec: DemoRunSpec, start: number, runId: string): MetricPoint[] {
  const rand = noise(spec.seed);
  const points: MetricPoint[] = [];
  for (let step = 0; step < STEPS; step += 1) {
    const t = step / STEPS;
    const epoch = Math.floor(step / STEPS_PER_EPOCH);
    const ts = start + step * STEP_MS;
    let loss = 2.3 * Math.exp(-4 * t * spec.quality) + 0.18 / spec.quality + rand() * 0.08;
    if (spec.spikeAt !== null && step >= spec.spikeAt && step < spec.spikeAt + 3) loss = 9.5 - (step - spec.spikeAt) * 2.5;
    const accuracy = Math.min(0.99, 0.5 + 0.42 * spec.quality * (1 - Math.exp(-5 * t)) + rand() * 0.02);
    const precision = Math.min(0.99, accuracy - 0.02 + rand() * 0.02);
    const recall = Math.min(0.99, accuracy - 0.04 + rand() * 0.02);
    const f1 = (2 * precision * recall) / (precision + recall);
    const warmup = Math.min(1, step / 200);
    const values: Record<string, number> = {
      loss, accuracy, precision, recall, f1,
      auc: Math.min(0.999, accuracy + 0.05 + rand() * 0.01),
      lr: spec.lr * warmup * 0.5 * (1 + Math.cos(Math.PI * t)),
      grad_norm: Math.abs(1.5 * Math.exp(-2 * t) + rand() * 0.3 + (spec.spikeAt !== null && Math.abs(step - spec.spikeAt) < 3 ? 25 : 0)),
      samples_per_sec: 410 + rand() * 30 + (step % 300 === 299 ? -200 : 0),
      gpu_memory_used: 31_000 + rand() * 400,
      gpu_utilization: 92 + rand() * 8,
    };
    for (const [name, value] of Object.entries(values)) points.push({ runId, name, value, step, epoch, ts });
  }
  return points;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function seedRun(ctx: PluginContext, tenant: DemoTenant, spec: DemoRunSpec, start: number): Promise<void> {
  const tenantId = tenant.id;
  const db = ctx.db.forTenant(tenantId);
  // As if the tenant's demo ML engineer had sent it (demo emails are <role>@<slug>.local).
  const creator = { userId: tenant.users.ML_ENGINEER, email: `ml_engineer@${tenant.slug}.local` };
  const projectId = await ensureProject(db, spec.project);
  const end = start + STEPS * STEP_MS;
  // Demo data goes into an empty database: the run is created from this header.
  const { id: runId } = await db.transaction((trx) => lockOrCreateRun(trx, projectId, {
    clientRunId: spec.clientRunId, name: spec.name, framework: 'pytorch', tags: spec.tags, params: spec.params,
    status: 'finished', startedAt: start, endedAt: end,
  }, creator));
  const metrics = await ctx.port(runMetricsPort, tenantId);
  const points = curves(spec, start, runId);
  for (let i = 0; i < points.length; i += 10_000) await metrics.write(points.slice(i, i + 10_000));
  await storeMetricLast(db, runId, await metrics.summaries([runId]));

  const logs: LogRecord[] = [{ ts: start, level: 'info', message: `loading dataset shard-1 for ${spec.name}`, runId, service: spec.project, stream: 'stdout' }];
  const events: EventRecord[] = [];
  const spans: SpanRecord[] = [];
  for (let epoch = 0; epoch < STEPS / STEPS_PER_EPOCH; epoch += 1) {
    const epochEnd = start + (epoch + 1) * STEPS_PER_EPOCH * STEP_MS;
    const stepLoss = points.find((p) => p.name === 'loss' && p.step === (epoch + 1) * STEPS_PER_EPOCH - 1)?.value ?? 0;
    logs.push({ ts: epochEnd - 5, level: 'info', message: `epoch ${epoch + 1} done loss=${stepLoss.toFixed(4)}`, runId, service: spec.project, stream: 'stdout', fields: { epoch: epoch + 1 } });
    events.push({ ts: epochEnd, type: 'checkpoint_saved', source: 'run', severity: 'info', message: `checkpoint epoch-${epoch + 1}`, runId, payload: { path: `/chkpt/epoch-${epoch + 1}` }, attributes: { run_id: runId } });
    // One traced training step and the eval/checkpoint of each epoch.
    const traceId = hex(16);
    const root = hex(8);
    const t0 = epochEnd - 4000;
    const child = (name: string, from: number, to: number): SpanRecord => ({
      traceId, spanId: hex(8), parentSpanId: root, name, service: spec.project, start: from, end: to, status: 'ok', runId, attributes: { epoch: epoch + 1, 'run.id': runId },
    });
    spans.push(
      { traceId, spanId: root, parentSpanId: null, name: 'train_step', service: spec.project, start: t0, end: t0 + 3900, status: 'ok', runId, attributes: { epoch: epoch + 1, 'run.id': runId } },
      child('data_load', t0, t0 + 120), child('forward_pass', t0 + 120, t0 + 520), child('backward_pass', t0 + 520, t0 + 1300),
      child('optimizer_step', t0 + 1300, t0 + 1400), child('eval', t0 + 1400, t0 + 3300), child('checkpoint', t0 + 3300, t0 + 3900),
    );
  }
  if (spec.spikeAt !== null) {
    const ts = start + spec.spikeAt * STEP_MS;
    logs.push({ ts, level: 'warn', message: `loss spike at step ${spec.spikeAt}: gradient norm exploded, clipping`, runId, service: spec.project, stream: 'stderr' });
    events.push({ ts, type: 'loss_spike', source: 'run', severity: 'warning', message: `loss spike at step ${spec.spikeAt}`, runId, payload: { step: spec.spikeAt }, attributes: { run_id: runId } });
  }
  logs.push({ ts: end, level: 'info', message: 'training finished', runId, service: spec.project, stream: 'stdout' });
  await (await ctx.port(logsPort, tenantId)).write(logs);
  await (await ctx.port(eventsPort, tenantId)).write(events);
  await (await ctx.port(tracesPort, tenantId)).writeSpans(spans);

  const objects = await ctx.port(objectsPort, tenantId);
  const scalars: ScalarPoint[] = points
    .filter((p) => (p.name === 'loss' || p.name === 'accuracy') && (p.step ?? 0) % 10 === 0)
    .map((p) => ({ tag: p.name, step: p.step ?? 0, wallTime: p.ts / 1000, value: p.value }));
  const files: [string, 'model' | 'tensorboard', Buffer][] = [
    ['model.onnx', 'model', buildDemoOnnxModel()],
    [`tb/events.out.tfevents.${Math.floor(start / 1000)}.demo`, 'tensorboard', buildEventFile(scalars, start / 1000)],
  ];
  for (const [path, type, body] of files) {
    const key = artifactKey(runId, path);
    const info = await objects.put(key, body, { contentType: 'application/octet-stream' });
    await recordArtifact(db, { run_id: runId, path, type, size: info.size, sha256: info.sha256, storage_key: key });
  }
}

/** demo-tenant: an A/B pair in nlp-abtest (B has a visible loss spike); beta-tenant: one run of its own. */
export async function seedTrainingDemo(ctx: PluginContext, tenants: DemoTenant[]): Promise<void> {
  const start = Date.now() - 2 * 24 * 3600 * 1000;
  for (const tenant of tenants) {
    if (tenant.slug === 'demo-tenant') {
      const base = { project: 'nlp-abtest', params: { batch_size: 32, epochs: 10, model: 'bert-base-uncased' } };
      await seedRun(ctx, tenant, { ...base, clientRunId: 'bert-ab-a', name: 'bert-finetune-ab-a', tags: { exp: 'ab', model: 'bert', variant: 'a' }, params: { ...base.params, lr: 3e-4 }, lr: 3e-4, quality: 1, spikeAt: null, seed: 1 }, start);
      await seedRun(ctx, tenant, { ...base, clientRunId: 'bert-ab-b', name: 'bert-finetune-ab-b', tags: { exp: 'ab', model: 'bert', variant: 'b' }, params: { ...base.params, lr: 1e-3 }, lr: 1e-3, quality: 0.85, spikeAt: 1730, seed: 2 }, start + 600_000);
    } else if (tenant.slug === 'beta-tenant') {
      await seedRun(ctx, tenant, { clientRunId: 'resnet-baseline', project: 'vision', name: 'resnet50-baseline', tags: { model: 'resnet50' }, params: { lr: 0.1, batch_size: 256 }, lr: 0.1, quality: 0.9, spikeAt: null, seed: 3 }, start);
    }
  }
}
