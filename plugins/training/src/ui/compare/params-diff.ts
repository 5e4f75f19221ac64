/** One params key across the compared runs. */
export interface ParamRow {
  key: string;
  /** The value of each run in the order of the runs, `undefined` where a run lacks the key. */
  values: unknown[];
  differs: boolean;
}

/** Nested params (`{ optimizer: { lr } }`) compare key by key, as `optimizer.lr`. */
function flatten(value: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(inner).length > 0) {
      flatten(inner as Record<string, unknown>, path, into);
    } else {
      into.set(path, inner);
    }
  }
  return into;
}

/** Values are compared by their JSON text, so `[1,2]` equals `[1,2]` and `1` differs from `"1"`. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every key of every run, sorted, with whether the runs disagree on it (a missing key disagrees). */
export function paramsDiff(params: Record<string, unknown>[]): ParamRow[] {
  const flat = params.map((p) => flatten(p));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = flat.map((m) => (m.has(key) ? m.get(key) : undefined));
    const present = flat.map((m) => m.has(key));
    const differs = present.some((p) => !p) || values.some((v) => !same(v, values[0]));
    return { key, values, differs };
  });
}

export function formatParam(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
