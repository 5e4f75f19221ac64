// Ticks of a time axis on round steps (1, 2, 5 × 10ⁿ ms, then seconds, minutes, hours), shared by
// the trace waterfall (offsets from the trace start) and the event timeline (clock times).

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Tick values between `from` and `to` (inclusive of round values only), about `count` of them. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = to - from;
  if (!(span > 0) || !Number.isFinite(span)) return [from];
  const raw = span / Math.max(1, count);
  const step = STEPS_MS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** A duration as people read it: 840 µs, 12.5 ms, 3.2 s, 4m 05s, 2h 10m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 1) return `${Math.round(ms * 1000)} µs`;
  if (abs < 1000) return `${Number(ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0))} ms`;
  if (abs < 60_000) return `${Number((ms / 1000).toFixed(abs < 10_000 ? 2 : 1))} s`;
  const totalS = Math.round(abs / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const sign = ms < 0 ? '-' : '';
  return h > 0 ? `${sign}${h}h ${String(m).padStart(2, '0')}m` : `${sign}${m}m ${String(s).padStart(2, '0')}s`;
}
