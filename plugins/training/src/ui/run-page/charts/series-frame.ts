/// <reference lib="dom" />
import type { PanelFrame } from '@oneservice/plugin-sdk/ui';
import type { LivePoint, MetricSeries, SeriesAxis, WireNumber } from '../../api-types.js';

export function fromWire(v: WireNumber): number {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

/**
 * A metric series as a panel frame: the bucket mean is the line, and a downsampled series also
 * carries each bucket's min and max as the band, so a spike averaged away in the line stays visible.
 */
export function frameFromSeries(series: MetricSeries, frameName?: string): PanelFrame {
  const b = series.buckets;
  return {
    name: frameName ?? series.name,
    x: { kind: series.by, values: b.map((k) => k.x) },
    fields: [
      {
        name: series.name,
        values: b.map((k) => fromWire(k.mean)),
        band: series.exact ? undefined : { min: b.map((k) => fromWire(k.min)), max: b.map((k) => fromWire(k.max)) },
      },
    ],
  };
}

/** Where a live point sits on the chosen axis (null: the point has no step or epoch). */
export function liveX(point: LivePoint, axis: SeriesAxis): number | null {
  return axis === 'time' ? point.ts : axis === 'step' ? point.step : point.epoch;
}

/** System metrics (the SDK's `system/…` sampler, GPU/CPU/RAM gauges) get their own section. */
export function isSystemMetric(name: string): boolean {
  return name.startsWith('system/') || /^(gpu|cpu|ram|memory|disk|net)[_/.]/i.test(name);
}

/**
 * Where a moment (epoch ms, e.g. a clicked log line) sits on a chart's x axis. On the time axis it is
 * the moment itself. The step and epoch buckets carry no timestamps, so the point nearest in time is
 * found in the same metric read by time, and its rank (points logged up to it, from the bucket counts)
 * is looked up in the step/epoch read: a run logs its steps in order, so the n-th point in time is the
 * n-th point by step. Null when there is nothing to place it on.
 */
export function markerX(at: number, axisSeries: MetricSeries, timeSeries?: MetricSeries): number | null {
  if (axisSeries.by === 'time') return at;
  const byTime = timeSeries?.buckets ?? [];
  const byAxis = axisSeries.buckets;
  if (byTime.length === 0 || byAxis.length === 0) return null;
  let nearest = 0;
  for (let i = 1; i < byTime.length; i++) if (Math.abs(byTime[i]!.x - at) < Math.abs(byTime[nearest]!.x - at)) nearest = i;
  const timeTotal = byTime.reduce((n, b) => n + b.count, 0);
  const axisTotal = byAxis.reduce((n, b) => n + b.count, 0);
  let rank = 0;
  for (let i = 0; i <= nearest; i++) rank += byTime[i]!.count;
  const wanted = timeTotal > 0 ? (rank / timeTotal) * axisTotal : 0;
  let seen = 0;
  for (const bucket of byAxis) {
    seen += bucket.count;
    if (seen >= wanted - 1e-9) return bucket.x;
  }
  return byAxis[byAxis.length - 1]!.x;
}
