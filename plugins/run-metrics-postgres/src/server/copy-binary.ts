import type { MetricPoint } from '@oneservice/plugin-sdk';

/**
 * COPY's binary format for run_metric_points rows (tenant_id, run_id, name, step, epoch, ts, value).
 * Text COPY cost a Date → ISO string per point here and a timestamp and float parse per point in
 * PostgreSQL; binary rows are fixed-width writes on both sides. Layout: the PGCOPY signature, flags
 * and header extension (both 0), then per row an int16 field count and per field an int32 length
 * (-1 = NULL) and the bytes in network order, then an int16 -1 trailer.
 */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
const FIELDS = 7;
/** timestamptz counts microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MICROS = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;

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

export function binaryCopyPayload(tenantId: string, points: readonly MetricPoint[]): Buffer {
  const tenant = uuidBytes(tenantId);
  const runs = new Map<string, Buffer>();
  const names = new Map<string, Buffer>();
  // Pass 1: the encoded names and run ids (few distinct per batch) and the exact size.
  let size = SIGNATURE.length + 8 + 2;
  for (const p of points) {
    if (!runs.has(p.runId)) runs.set(p.runId, uuidBytes(p.runId));
    let name = names.get(p.name);
    if (!name) names.set(p.name, (name = Buffer.from(p.name, 'utf8')));
    // field count, tenant, run, name, step, epoch, ts, value
    size += 2 + 20 + 20 + 4 + name.length + (p.step == null ? 4 : 12) + (p.epoch == null ? 4 : 8) + 12 + 12;
  }
  const buf = Buffer.allocUnsafe(size);
  let at = SIGNATURE.copy(buf, 0);
  buf.writeInt32BE(0, at);
  buf.writeInt32BE(0, at + 4);
  at += 8;
  for (const p of points) {
    buf.writeInt16BE(FIELDS, at);
    buf.writeInt32BE(16, at + 2);
    tenant.copy(buf, at + 6);
    buf.writeInt32BE(16, at + 22);
    runs.get(p.runId)!.copy(buf, at + 26);
    at += 42;
    const name = names.get(p.name)!;
    buf.writeInt32BE(name.length, at);
    at += 4 + name.copy(buf, at + 4);
    if (p.step == null) {
      buf.writeInt32BE(-1, at);
      at += 4;
    } else {
      buf.writeInt32BE(8, at);
      writeInt64(buf, p.step, at + 4);
      at += 12;
    }
    if (p.epoch == null) {
      buf.writeInt32BE(-1, at);
      at += 4;
    } else {
      buf.writeInt32BE(4, at);
      buf.writeInt32BE(p.epoch, at + 4);
      at += 8;
    }
    buf.writeInt32BE(8, at);
    // Rounded to the microsecond, the resolution timestamptz keeps (fractional milliseconds survive).
    writeInt64(buf, Math.round(p.ts * 1000) - PG_EPOCH_MICROS, at + 4);
    buf.writeInt32BE(8, at + 12);
    buf.writeDoubleBE(p.value, at + 16);
    at += 24;
  }
  buf.writeInt16BE(-1, at);
  return buf;
}
