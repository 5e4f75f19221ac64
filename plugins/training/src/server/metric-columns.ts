import { EPOCH_MILLIS_MAX, INT4_MAX } from '@oneservice/plugin-sdk';
import { z } from 'zod';

/** A metric point read from `metric_columns`, value already decoded (NaN/±Infinity as numbers). */
export interface ColumnMetric {
  name: string;
  value: number;
  step: number | null;
  epoch: number | null;
  ts: number;
}

/** epoch is stored as integer (int4). */
export const MAX_EPOCH = INT4_MAX;
const MAX_NAME = 200;
const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

type Issue = { path: (string | number)[]; message: string };

/**
 * The columnar metric form of a batch (docs/ingest-protocol.md): parallel arrays, one entry per point.
 * It exists for speed — a client encodes four flat arrays far faster than N objects, and the server
 * checks them here in tight loops instead of running a zod object schema per point — so the checks
 * are by hand, but as precise as zod's: each names the entry (`metric_columns.value[3]`).
 * At most `maxIssues` problems are reported; one is enough to refuse the batch.
 */
export function readMetricColumns(input: unknown, maxIssues = 20): { points: ColumnMetric[] } | { issues: Issue[] } {
  const issues: Issue[] = [];
  const fail = (path: (string | number)[], message: string) => issues.length < maxIssues && issues.push({ path, message });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { issues: [{ path: [], message: 'expected an object of arrays: name, value, ts, and optionally step, epoch' }] };
  }
  const columns = input as Record<string, unknown>;
  for (const key of Object.keys(columns)) {
    if (!['name', 'value', 'step', 'epoch', 'ts'].includes(key)) fail([key], 'unknown column (expected name, value, step, epoch, ts)');
  }
  const column = (key: string, required: boolean): unknown[] | null => {
    const value = columns[key];
    if (value === undefined && !required) return null;
    if (!Array.isArray(value)) {
      fail([key], 'expected an array');
      return null;
    }
    return value;
  };
  const numbers = (key: string): ArrayLike<unknown> | null => {
    const value = columns[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return float64Column(value as Record<string, unknown>, key, fail);
    return column(key, true);
  };
  const names = column('name', true);
  const values = numbers('value');
  const ts = numbers('ts');
  const steps = column('step', false);
  const epochs = column('epoch', false);
  if (!names || !values || !ts || issues.length > 0) return { issues };
  const n = names.length;
  for (const [key, col] of [['value', values], ['ts', ts], ['step', steps], ['epoch', epochs]] as const) {
    if (col && col.length !== n) fail([key], `expected ${n} entries (as many as name), got ${col.length}`);
  }
  if (issues.length > 0) return { issues };

  const points: ColumnMetric[] = new Array(n);
  // values and ts are arrays or Float64Arrays; a Float64Array entry is always a number (NaN/±Infinity included).
  for (let i = 0; i < n; i += 1) {
    const name = names[i];
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) fail(['name', i], `expected a string of 1 to ${MAX_NAME} characters`);
    let value = values[i];
    if (typeof value !== 'number') {
      const special = typeof value === 'string' ? SPECIAL[value] : undefined;
      if (special === undefined) fail(['value', i], 'expected a number or NaN/Infinity/-Infinity');
      value = special;
    }
    const t = ts[i];
    if (typeof t !== 'number' || !(t >= 0) || t > EPOCH_MILLIS_MAX) fail(['ts', i], 'expected milliseconds since the Unix epoch (a number from 0 to the end of year 9999)');
    const step = steps ? steps[i] : null;
    if (step !== null && step !== undefined && !(Number.isSafeInteger(step) && (step as number) >= 0)) fail(['step', i], 'expected an integer ≥ 0 or null');
    const epoch = epochs ? epochs[i] : null;
    if (epoch !== null && epoch !== undefined && !(Number.isInteger(epoch) && (epoch as number) >= 0 && (epoch as number) <= MAX_EPOCH)) {
      fail(['epoch', i], `expected an integer from 0 to ${MAX_EPOCH} or null`);
    }
    if (issues.length === 0) {
      points[i] = { name: name as string, value: value as number, step: (step as number | null | undefined) ?? null, epoch: (epoch as number | null | undefined) ?? null, ts: t as number };
    } else if (issues.length >= maxIssues) break;
  }
  return issues.length > 0 ? { issues } : { points };
}

/**
 * A numeric column sent as `{ "f64": "<base64>" }`: little-endian IEEE-754 doubles, 8 bytes per entry.
 * Python's float repr costs ~1 µs per number, the packed form next to nothing, on both sides; and
 * NaN/±Infinity need no special strings.
 */
function float64Column(value: Record<string, unknown>, key: string, fail: (path: (string | number)[], message: string) => unknown): Float64Array | null {
  const keys = Object.keys(value);
  if (keys.length !== 1 || typeof value.f64 !== 'string') {
    fail([key], 'expected an array, or { "f64": base64 of little-endian float64s }');
    return null;
  }
  const bytes = Buffer.from(value.f64, 'base64');
  if (bytes.length % 8 !== 0) {
    fail([key, 'f64'], `expected base64 of whole float64s (8 bytes each), got ${bytes.length} bytes`);
    return null;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i += 1) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** The zod face of readMetricColumns, for the route's body schema: issues keep their entry paths. */
export const metricColumnsSchema = z
  .unknown()
  .transform((input, ctx) => {
    const read = readMetricColumns(input);
    if ('issues' in read) {
      for (const issue of read.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return read.points;
  })
  .meta({
    description: 'Metric points as parallel arrays of equal length: name (string), value (number or "NaN"/"Infinity"/"-Infinity"), ts (ms since the epoch), and optionally step and epoch (integer ≥ 0 or null). value and ts may instead be { "f64": base64 of little-endian float64s }.',
  });
