/** Metric values for tables and stat cards: five significant digits, exponents for the very large and very small (lr). */
export const formatNumber = (v: number | null): string =>
  v === null ? '—' : !Number.isFinite(v) ? String(v) : v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
