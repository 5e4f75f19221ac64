import type { MetricPoint } from '@oneservice/plugin-sdk';
import { CHUNK_POINTS } from './migrations/005-run-metric-chunks.js';

/**
 * A batch cut into run_metric_chunks rows, in COPY's binary format: the arrays go over as binary
 * arrays, so no value is ever formatted as text in Node or parsed in PostgreSQL (NaN and ±Infinity
 * are plain IEEE bytes). Layout: the PGCOPY signature, flags and header extension (both 0); per row an
 * int16 field count and per field an int32 length (-1 = NULL) and the bytes in network order; an
 * int16 -1 trailer. A one-dimensional array is ndim, has-null flag, element type oid, length, lower
 * bound (1), then per element an int32 length (-1 = NULL) and its bytes.
 */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
const FIELDS = 14;
const INT8_OID = 20;
const INT4_OID = 23;
const FLOAT8_OID = 701;
const ARRAY_HEADER = 20;
const TWO_32 = 4_294_967_296;

export const CHUNK_COPY_SQL =
  'COPY run_metric_chunks (tenant_id, run_id, name, n, step_lo, step_hi, ts_lo, ts_hi, epoch_lo, epoch_hi, steps, epochs, ts, vals) FROM STDIN (FORMAT binary)';

/** The points of one series, in the order they were written. */
interface SeriesPoints {
  run: Buffer;
  name: Buffer;
  points: MetricPoint[];
}

/** A uuid's 16 bytes; the column is uuid, so a malformed id fails here rather than in PostgreSQL. */
function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a uuid: ${id}`);
  return Buffer.from(hex, 'hex');
}

/** A 64-bit integer from a JS number (exact up to 2^53), as two 32-bit halves. */
function writeInt64(buf: Buffer, value: number, at: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(value - hi * TWO_32, at + 4);
}

/** Series found through nested maps keyed by the point's own strings: no composite key built per point. */
function bySeries(points: readonly MetricPoint[]): SeriesPoints[] {
  const byRun = new Map<string, Map<string, SeriesPoints>>();
  const runs = new Map<string, Buffer>();
  const all: SeriesPoints[] = [];
  for (const point of points) {
    let byName = byRun.get(point.runId);
    if (!byName) {
      byRun.set(point.runId, (byName = new Map()));
      runs.set(point.runId, uuidBytes(point.runId));
    }
    let series = byName.get(point.name);
    if (!series) {
      byName.set(point.name, (series = { run: runs.get(point.runId)!, name: Buffer.from(point.name, 'utf8'), points: [] }));
      all.push(series);
    }
    series.points.push(point);
  }
  return all;
}

/** An array field's bytes: its length word, the header, a length word per element and the non-NULL elements. */
const arrayField = (n: number, nulls: number, elementBytes: number) => (nulls === n ? 4 : 4 + ARRAY_HEADER + n * 4 + (n - nulls) * elementBytes);

function chunkSize(name: Buffer, n: number, stepNulls: number, epochNulls: number): number {
  // field count; tenant, run (uuid); name; n; step lo/hi; ts lo/hi; epoch lo/hi; four arrays
  return 2 + 20 + 20 + 4 + name.length + 8
    + (stepNulls < n ? 24 : 8) + 24 + (epochNulls < n ? 16 : 8)
    + arrayField(n, stepNulls, 8) + arrayField(n, epochNulls, 4) + 2 * arrayField(n, 0, 8);
}

function writeArrayHeader(buf: Buffer, at: number, oid: number, n: number, hasNull: boolean, elementBytes: number, nulls: number): number {
  buf.writeInt32BE(ARRAY_HEADER + n * 4 + (n - nulls) * elementBytes, at);
  buf.writeInt32BE(1, at + 4);
  buf.writeInt32BE(hasNull ? 1 : 0, at + 8);
  buf.writeInt32BE(oid, at + 12);
  buf.writeInt32BE(n, at + 16);
  buf.writeInt32BE(1, at + 20);
  return at + 24;
}

/** One row per series per run of up to CHUNK_POINTS consecutive points of the batch. */
export function chunkCopyPayload(tenantId: string, points: readonly MetricPoint[]): { payload: Buffer; chunks: number } {
  const tenant = uuidBytes(tenantId);
  const parts: Buffer[] = [SIGNATURE, Buffer.alloc(8)];
  let chunks = 0;
  for (const series of bySeries(points)) {
    for (let from = 0; from < series.points.length; from += CHUNK_POINTS) {
      const slice = series.points.slice(from, from + CHUNK_POINTS);
      parts.push(encodeChunk(tenant, series, slice));
      chunks += 1;
    }
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  parts.push(trailer);
  return { payload: Buffer.concat(parts), chunks };
}

function encodeChunk(tenant: Buffer, series: SeriesPoints, points: readonly MetricPoint[]): Buffer {
  const n = points.length;
  let stepLo = Infinity;
  let stepHi = -Infinity;
  let epochLo = Infinity;
  let epochHi = -Infinity;
  let tsLo = Infinity;
  let tsHi = -Infinity;
  let stepNulls = 0;
  let epochNulls = 0;
  for (const p of points) {
    const step = p.step;
    if (step === null || step === undefined) stepNulls += 1;
    else {
      if (step < stepLo) stepLo = step;
      if (step > stepHi) stepHi = step;
    }
    const epoch = p.epoch;
    if (epoch === null || epoch === undefined) epochNulls += 1;
    else {
      if (epoch < epochLo) epochLo = epoch;
      if (epoch > epochHi) epochHi = epoch;
    }
    if (p.ts < tsLo) tsLo = p.ts;
    if (p.ts > tsHi) tsHi = p.ts;
  }
  const hasStep = stepNulls < n;
  const hasEpoch = epochNulls < n;
  const buf = Buffer.allocUnsafe(chunkSize(series.name, n, stepNulls, epochNulls));
  buf.writeInt16BE(FIELDS, 0);
  buf.writeInt32BE(16, 2);
  tenant.copy(buf, 6);
  buf.writeInt32BE(16, 22);
  series.run.copy(buf, 26);
  buf.writeInt32BE(series.name.length, 42);
  let at = 46 + series.name.copy(buf, 46);
  buf.writeInt32BE(4, at);
  buf.writeInt32BE(n, at + 4);
  at += 8;
  if (hasStep) {
    buf.writeInt32BE(8, at);
    writeInt64(buf, stepLo, at + 4);
    buf.writeInt32BE(8, at + 12);
    writeInt64(buf, stepHi, at + 16);
    at += 24;
  } else {
    buf.writeInt32BE(-1, at);
    buf.writeInt32BE(-1, at + 4);
    at += 8;
  }
  buf.writeInt32BE(8, at);
  buf.writeDoubleBE(tsLo, at + 4);
  buf.writeInt32BE(8, at + 12);
  buf.writeDoubleBE(tsHi, at + 16);
  at += 24;
  if (hasEpoch) {
    buf.writeInt32BE(4, at);
    buf.writeInt32BE(epochLo, at + 4);
    buf.writeInt32BE(4, at + 8);
    buf.writeInt32BE(epochHi, at + 12);
    at += 16;
  } else {
    buf.writeInt32BE(-1, at);
    buf.writeInt32BE(-1, at + 4);
    at += 8;
  }
  if (hasStep) {
    at = writeArrayHeader(buf, at, INT8_OID, n, stepNulls > 0, 8, stepNulls);
    for (const p of points) {
      if (p.step === null || p.step === undefined) {
        buf.writeInt32BE(-1, at);
        at += 4;
      } else {
        buf.writeInt32BE(8, at);
        writeInt64(buf, p.step, at + 4);
        at += 12;
      }
    }
  } else {
    buf.writeInt32BE(-1, at);
    at += 4;
  }
  if (hasEpoch) {
    at = writeArrayHeader(buf, at, INT4_OID, n, epochNulls > 0, 4, epochNulls);
    for (const p of points) {
      if (p.epoch === null || p.epoch === undefined) {
        buf.writeInt32BE(-1, at);
        at += 4;
      } else {
        buf.writeInt32BE(4, at);
        buf.writeInt32BE(p.epoch, at + 4);
        at += 8;
      }
    }
  } else {
    buf.writeInt32BE(-1, at);
    at += 4;
  }
  at = writeArrayHeader(buf, at, FLOAT8_OID, n, false, 8, 0);
  for (const p of points) {
    buf.writeInt32BE(8, at);
    buf.writeDoubleBE(p.ts, at + 4);
    at += 12;
  }
  at = writeArrayHeader(buf, at, FLOAT8_OID, n, false, 8, 0);
  for (const p of points) {
    buf.writeInt32BE(8, at);
    buf.writeDoubleBE(p.value, at + 4);
    at += 12;
  }
  // The size was computed up front; a mismatch would be a corrupt COPY stream, so it stops here.
  if (at !== buf.length) throw new Error(`chunk encoding wrote ${at} of ${buf.length} bytes`);
  return buf;
}
