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
