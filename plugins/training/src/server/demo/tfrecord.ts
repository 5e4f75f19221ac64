import { ProtoWriter } from './protobuf-writer.js';

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant (tensorflow/core/lib/hash/crc32c.h). */
export function maskedCrc32c(data: Buffer): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length (u64 LE), masked crc of the length, data, masked crc of the data. */
export function tfRecord(data: Buffer): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  const lengthCrc = Buffer.alloc(4);
  lengthCrc.writeUInt32LE(maskedCrc32c(length));
  const dataCrc = Buffer.alloc(4);
  dataCrc.writeUInt32LE(maskedCrc32c(data));
  return Buffer.concat([length, lengthCrc, data, dataCrc]);
}

export interface ScalarPoint {
  tag: string;
  step: number;
  wallTime: number;
  value: number;
}

/**
 * A TensorBoard event file: a file_version event, then one Event per scalar
 * (Event { wall_time = 1 (double); step = 2; file_version = 3; summary = 5 } →
 *  Summary { value = 1 } → Value { tag = 1; simple_value = 2 (float) }).
 */
export function buildEventFile(points: ScalarPoint[], startWallTime: number): Buffer {
  const records = [tfRecord(new ProtoWriter().double(1, startWallTime).string(3, 'brain.Event:2').finish())];
  for (const p of points) {
    const event = new ProtoWriter()
      .double(1, p.wallTime)
      .int(2, p.step)
      .message(5, (summary) => summary.message(1, (value) => value.string(1, p.tag).float(2, p.value)))
      .finish();
    records.push(tfRecord(event));
  }
  return Buffer.concat(records);
}
