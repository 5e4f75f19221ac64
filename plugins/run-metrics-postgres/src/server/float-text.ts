/** PostgreSQL's text form of a double: its input accepts NaN/Infinity/-Infinity, which JSON cannot carry. */
export function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

/** node-postgres parses float8 with parseFloat, which already yields NaN/±Infinity; numeric strings from aggregates too. */
export function toFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number.parseFloat(value);
  return Number.NaN;
}
