// What the log viewer decides about a line, kept free of the DOM so it is tested on its own.

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** The rank of a level (trace 0 … fatal 5); `warning` reads as warn, an unknown level as info. */
export function levelRank(level: string | undefined): number {
  const l = (level ?? '').toLowerCase();
  const at = LOG_LEVELS.indexOf((l === 'warning' ? 'warn' : l === 'critical' ? 'fatal' : l) as (typeof LOG_LEVELS)[number]);
  return at < 0 ? 2 : at;
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Splits `text` into plain and matching segments for every needle (case-insensitive). Overlapping
 * or touching matches merge into one, so marks never nest.
 */
export function highlightSegments(text: string, needles: readonly string[]): Segment[] {
  const words = [...new Set(needles.map((n) => n.toLowerCase()).filter((n) => n.length > 0))];
  if (words.length === 0 || text === '') return text === '' ? [] : [{ text, match: false }];
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const word of words) {
    for (let i = lower.indexOf(word); i >= 0; i = lower.indexOf(word, i + 1)) ranges.push([i, i + word.length]);
  }
  if (ranges.length === 0) return [{ text, match: false }];
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: Segment[] = [];
  let at = 0;
  for (const [from, to] of merged) {
    if (from > at) out.push({ text: text.slice(at, from), match: false });
    out.push({ text: text.slice(from, to), match: true });
    at = to;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

/**
 * The JSON a line carries, when the whole message is a JSON object or array (structured loggers
 * write one per line); null for anything else, including bare numbers and strings.
 */
export function parseJsonMessage(message: string): Record<string, unknown> | unknown[] | null {
  const text = message.trim();
  const first = text[0];
  const last = text[text.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown> | unknown[]) : null;
  } catch {
    return null;
  }
}
