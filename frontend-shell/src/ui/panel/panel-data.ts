import type { PanelAppend, PanelFieldConfig, PanelFrame, PanelOverride, PanelValue, PanelValueField } from '@oneservice/plugin-sdk/ui';

// The pure half of the panel renderer: frames in, plot-ready arrays out. No DOM and no ECharts here,
// so what a chart shows is unit-tested without a browser.

export type XY = [number, number | null];
export type NonFiniteKind = 'NaN' | '+Inf' | '-Inf';
export interface NonFiniteMark {
  x: number;
  /** Where the mark sits: NaN at the last finite value before it, ±Inf at the top or bottom of the data. */
  y: number;
  kind: NonFiniteKind;
}

const finite = (v: PanelValue | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled towards
 * 0), the smoothing W&B and TensorBoard users know. Gaps and non-finite values come out as gaps and
 * leave the average untouched, so one NaN does not poison the rest of the curve.
 */
export function ema(values: readonly PanelValue[], weight: number): PanelValue[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return values.map((v) => (finite(v) ? v : null));
  let last = 0;
  let debias = 0;
  return values.map((v) => {
    if (!finite(v)) return null;
    last = last * w + (1 - w) * v;
    debias = debias * w + (1 - w);
    return last / debias;
  });
}

/** A value as the plot can draw it: non-finite → gap, and on a log scale a value ≤ 0 → gap. */
export function plotValue(v: PanelValue | undefined, log: boolean): number | null {
  if (!finite(v)) return null;
  if (log && v <= 0) return null;
  return v;
}

export function lineData(x: readonly number[], values: readonly PanelValue[], log: boolean): XY[] {
  const out: XY[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = [x[i]!, plotValue(values[i], log)];
  return out;
}

/**
 * The min/max band as two stacked series: the invisible lower edge (min) and the filled height
 * above it (max − min). A bucket without both edges finite is a gap in the band.
 */
export function bandData(x: readonly number[], band: NonNullable<PanelValueField['band']>, log: boolean): { lower: XY[]; height: XY[] } {
  const lower: XY[] = new Array(x.length);
  const height: XY[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const lo = plotValue(band.min[i], log);
    const hi = plotValue(band.max[i], log);
    const ok = lo !== null && hi !== null && hi >= lo;
    lower[i] = [x[i]!, ok ? lo : null];
    height[i] = [x[i]!, ok ? hi - lo : null];
  }
  return { lower, height };
}

/** True when the band adds something to the line (some bucket's min differs from its max). */
export function bandMatters(band: PanelValueField['band']): boolean {
  if (!band) return false;
  for (let i = 0; i < band.min.length; i++) {
    const lo = band.min[i];
    const hi = band.max[i];
    if (finite(lo) && finite(hi) && hi !== lo) return true;
  }
  return false;
}

/** NaN and ±Infinity values, each placed where a reader sees it beside the curve. */
export function nonFiniteMarks(x: readonly number[], values: readonly PanelValue[], log: boolean): NonFiniteMark[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    const p = plotValue(v, log);
    if (p === null) continue;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  if (lo === Infinity) {
    lo = log ? 1 : 0;
    hi = log ? 1 : 0;
  }
  const marks: NonFiniteMark[] = [];
  let previous: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') continue;
    if (Number.isNaN(v)) marks.push({ x: x[i]!, y: previous ?? lo, kind: 'NaN' });
    else if (v === Infinity) marks.push({ x: x[i]!, y: hi, kind: '+Inf' });
    else if (v === -Infinity) marks.push({ x: x[i]!, y: lo, kind: '-Inf' });
    else if (plotValue(v, log) !== null) previous = v;
  }
  return marks;
}

/** The panel's defaults, then every matching override in order (field name, or `frame/field`). */
export function fieldConfig(defaults: PanelFieldConfig | undefined, overrides: readonly PanelOverride[] | undefined, frame: PanelFrame, field: PanelValueField): PanelFieldConfig {
  const config: PanelFieldConfig = { unit: field.unit, ...defaults };
  if (field.displayName) config.displayName = field.displayName;
  for (const o of overrides ?? []) {
    if (o.match === field.name || (frame.name !== undefined && o.match === `${frame.name}/${field.name}`)) Object.assign(config, o.config);
  }
  return config;
}

/** The legend name: the configured name, else the field name, prefixed by the frame when there are several. */
export function seriesName(config: PanelFieldConfig, frame: PanelFrame, field: PanelValueField, frameCount: number): string {
  if (config.displayName) return config.displayName;
  return frameCount > 1 && frame.name ? `${frame.name} · ${field.name}` : field.name;
}

/** Appends live points to frames (new arrays: frames handed to a panel are never mutated). */
export function appendPoints(frames: readonly PanelFrame[], points: readonly PanelAppend[]): PanelFrame[] {
  const next = frames.map((f) => ({ ...f, x: { ...f.x, values: [...f.x.values] }, fields: f.fields.map((field) => ({ ...field, values: [...field.values], band: field.band ? { min: [...field.band.min], max: [...field.band.max] } : undefined })) }));
  for (const p of points) {
    const frame = p.frame === undefined ? next[0] : next.find((f) => f.name === p.frame);
    if (!frame) continue;
    const xs = frame.x.values as number[];
    const last = xs[xs.length - 1];
    // A point at the last x replaces it (the same step logged again); an older one is ignored,
    // since it is already in the queried series.
    if (last !== undefined && p.x < last) continue;
    const replaceLast = last !== undefined && p.x === last;
    if (!replaceLast) xs.push(p.x);
    for (const field of frame.fields) {
      const v = Object.hasOwn(p.values, field.name) ? p.values[field.name]! : replaceLast ? field.values[field.values.length - 1]! : null;
      const values = field.values as PanelValue[];
      if (replaceLast) values[values.length - 1] = v;
      else values.push(v);
      if (field.band) {
        const min = field.band.min as PanelValue[];
        const max = field.band.max as PanelValue[];
        if (replaceLast) {
          min[min.length - 1] = v;
          max[max.length - 1] = v;
        } else {
          min.push(v);
          max.push(v);
        }
      }
    }
  }
  return next;
}

/** The value a stat panel shows. */
export function reduceValues(values: readonly PanelValue[], how: 'last' | 'min' | 'max' | 'mean'): PanelValue {
  if (how === 'last') {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i]!;
    return null;
  }
  const xs = values.filter(finite);
  if (xs.length === 0) return null;
  if (how === 'min') return Math.min(...xs);
  if (how === 'max') return Math.max(...xs);
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

/** A number as configured: fixed decimals when set, else the compact form; non-finite by name. */
export function formatPanelValue(v: PanelValue | undefined, config: PanelFieldConfig, compact: (n: number) => string): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const text = config.decimals !== undefined ? v.toFixed(config.decimals) : compact(v);
  return config.unit ? `${text} ${config.unit}` : text;
}

/** The colour of a threshold step the value reaches (thresholds ascending by value). */
export function thresholdColor(v: PanelValue, thresholds: readonly { value: number; color: string }[] | undefined): string | null {
  if (!thresholds?.length || !finite(v)) return null;
  let color: string | null = null;
  for (const t of [...thresholds].sort((a, b) => a.value - b.value)) if (v >= t.value) color = t.color;
  return color;
}

/**
 * Numbers on a panel's axis and tooltip: compact for large values (1.2k, 3.4M), three significant
 * digits below 1 and an exponent below 0.001, so a learning rate of 3e-4 never reads as 0.000.
 */
export function axisNumber(n: number): string {
  const abs = Math.abs(n);
  if (n === 0 || !Number.isFinite(n)) return String(n);
  if (abs < 1e-3) return n.toExponential(1).replace('e-', 'e−');
  if (abs < 1) return String(Number(n.toPrecision(3)));
  if (abs < 1e3) return String(Number(n.toPrecision(4)));
  const fmt = (v: number, s: string) => `${Number(v.toFixed(Math.abs(v) < 10 ? 2 : 1))}${s}`;
  if (abs >= 1e9) return fmt(n / 1e9, 'G');
  if (abs >= 1e6) return fmt(n / 1e6, 'M');
  return fmt(n / 1e3, 'k');
}
