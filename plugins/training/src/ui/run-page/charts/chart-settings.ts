/// <reference lib="dom" />
import type { SeriesAxis } from '../../api-types.js';

/** The Charts tab's settings as they live in the URL (`x`, `smoothing`, `scale`), so a view is a link. */
export interface ChartSettings {
  x: SeriesAxis;
  smoothing: number;
  log: boolean;
}

export function readChartSettings(query: URLSearchParams): ChartSettings {
  const x = query.get('x');
  const smoothing = Number(query.get('smoothing') ?? 0);
  return {
    x: x === 'epoch' || x === 'time' ? x : 'step',
    smoothing: Number.isFinite(smoothing) ? Math.min(Math.max(smoothing, 0), 0.99) : 0,
    log: query.get('scale') === 'log',
  };
}

/** The URL parameters of settings; defaults are left out so plain links stay short. */
export function chartSettingsQuery(s: ChartSettings): Record<string, string | null> {
  return { x: s.x === 'step' ? null : s.x, smoothing: s.smoothing > 0 ? String(s.smoothing) : null, scale: s.log ? 'log' : null };
}
