import type { ResolvedTimeRange, TimeRangeValue } from '@oneservice/plugin-sdk/ui';

// Grafana-style expressions, because that is what SREs already type and what Grafana links carry:
// `now`, `now-15m`, `now+1d`, rounding suffix `/d` (`now-1d/d` = start of yesterday), absolute ISO
// times and epoch milliseconds.
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^now(?:([+-])(\d+)([smhdw]))?(?:\/([smhdw]))?$/;

export const DEFAULT_TIME_RANGE: TimeRangeValue = { from: 'now-1h', to: 'now', refresh: null };

export const TIME_PRESETS: readonly { from: string; label: string }[] = [
  { from: 'now-15m', label: 'Last 15 minutes' },
  { from: 'now-1h', label: 'Last 1 hour' },
  { from: 'now-6h', label: 'Last 6 hours' },
  { from: 'now-1d', label: 'Last 1 day' },
  { from: 'now-7d', label: 'Last 7 days' },
];

export const REFRESH_INTERVALS: readonly string[] = ['10s', '30s', '1m', '5m', '15m'];

/** Parses one expression; returns null when it is not a time (the caller falls back to a default). */
export function parseTimeExpression(expr: string, now: Date, roundUp = false): Date | null {
  const text = expr.trim();
  const rel = RELATIVE.exec(text);
  if (rel) {
    const [, sign, amount, unit, round] = rel;
    let ms = now.getTime();
    if (sign && amount && unit) ms += (sign === '-' ? -1 : 1) * Number(amount) * (UNIT_MS[unit] ?? 0);
    if (round) ms = roundTo(ms, round, roundUp);
    return new Date(ms);
  }
  if (/^\d{10,}$/.test(text)) return new Date(Number(text));
  // Only full dates count as absolute: Date.parse accepts odd strings ("1") we do not want to honour.
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

function roundTo(ms: number, unit: string, up: boolean): number {
  const d = new Date(ms);
  if (unit === 's') d.setUTCMilliseconds(0);
  else if (unit === 'm') d.setUTCSeconds(0, 0);
  else if (unit === 'h') d.setUTCMinutes(0, 0, 0);
  else if (unit === 'd' || unit === 'w') d.setUTCHours(0, 0, 0, 0);
  if (unit === 'w') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (!up) return d.getTime();
  const step = UNIT_MS[unit] ?? 0;
  return d.getTime() + step - 1;
}

export function parseRefresh(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(\d+)([smh])$/.exec(value.trim());
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  // Below 5 s a dashboard would hammer the API; treat it as off rather than obey it.
  return ms >= 5_000 ? ms : null;
}

/** Reads `from`, `to`, `refresh` from a query string, repairing anything invalid to the defaults. */
export function timeRangeFromQuery(query: URLSearchParams, now = new Date()): TimeRangeValue {
  let from = query.get('from') ?? DEFAULT_TIME_RANGE.from;
  let to = query.get('to') ?? DEFAULT_TIME_RANGE.to;
  const start = parseTimeExpression(from, now);
  const end = parseTimeExpression(to, now, true);
  if (!start || !end || start.getTime() >= end.getTime()) {
    from = DEFAULT_TIME_RANGE.from;
    to = DEFAULT_TIME_RANGE.to;
  }
  const refreshText = query.get('refresh');
  const refresh = refreshText && parseRefresh(refreshText) !== null ? refreshText : null;
  return { from, to, refresh };
}

export function resolveTimeRange(value: TimeRangeValue, now = new Date()): ResolvedTimeRange {
  const start = parseTimeExpression(value.from, now) ?? parseTimeExpression(DEFAULT_TIME_RANGE.from, now)!;
  const end = parseTimeExpression(value.to, now, true) ?? now;
  return { start, end };
}

export function isRelative(value: TimeRangeValue): boolean {
  return value.from.startsWith('now') || value.to.startsWith('now');
}

/** "Last 1 hour", or "2024-05-01 10:00 → 2024-05-01 12:00" for a custom range. */
export function describeTimeRange(value: TimeRangeValue): string {
  if (value.to === 'now') {
    const preset = TIME_PRESETS.find((p) => p.from === value.from);
    if (preset) return preset.label;
    const m = /^now-(\d+)([smhdw])$/.exec(value.from);
    if (m) return `Last ${m[1]}${m[2]}`;
  }
  return `${shortTime(value.from)} → ${shortTime(value.to)}`;
}

function shortTime(expr: string): string {
  if (expr.startsWith('now')) return expr;
  const d = parseTimeExpression(expr, new Date());
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : expr;
}

/** Absolute range from a chart zoom or a custom form, written in the URL as ISO times (seconds). */
export function absoluteRange(start: Date, end: Date): Pick<TimeRangeValue, 'from' | 'to'> {
  const iso = (d: Date) => new Date(Math.round(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { from: iso(start), to: iso(end) };
}
