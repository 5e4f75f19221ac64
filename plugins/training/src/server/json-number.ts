import { z } from 'zod';

/** JSON has no NaN or ±Infinity; the wire carries them as these strings, both ways (docs/ingest-protocol.md). */
export const SPECIAL_FLOATS = ['NaN', 'Infinity', '-Infinity'] as const;

export const wireNumberSchema = z.union(
  [z.number(), z.enum(SPECIAL_FLOATS)],
  { error: 'expected a number or NaN/Infinity/-Infinity' },
);
export type WireNumber = z.infer<typeof wireNumberSchema>;

export function fromWire(value: WireNumber): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

export function toWire(value: number): WireNumber {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}
