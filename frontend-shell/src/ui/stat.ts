import type { ChipTone, SparklineOptions, StatHandle, StatOptions } from '@oneservice/plugin-sdk/ui';
import { compactNumber, h, replace } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG sparkline: a stat card should not pay for a chart library. */
export function sparkline(values: readonly (number | null)[], options: SparklineOptions = {}): SVGSVGElement {
  const { width = 120, height = 28 } = options;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'sparkline');
  if (options.label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', options.label);
  } else svg.setAttribute('aria-hidden', 'true');
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length < 2) return svg;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values
    .map((v, i) => (v !== null && Number.isFinite(v) ? `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}` : null))
    .filter(Boolean)
    .join(' ');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  svg.appendChild(line);
  return svg;
}

export function stat(options: StatOptions): StatHandle {
  const format = options.format ?? compactNumber;
  const valueEl = h('div', { class: 'stat-value' });
  const sparkEl = h('div', { class: 'stat-spark' });
  const el = h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, options.label), valueEl, sparkEl);
  const update = (value: number | string | null, series?: readonly number[]) => {
    const text = value === null ? '—' : typeof value === 'number' ? format(value) : value;
    replace(valueEl, text, options.unit && value !== null ? h('span', { class: 'stat-unit' }, options.unit) : null);
    if (series) replace(sparkEl, sparkline(series));
  };
  update(options.value, options.series);
  return { el, update };
}

/** A status as a small pill: the word carries the meaning, the tone only reinforces it. */
export function statusChip(text: string, tone: ChipTone): HTMLElement {
  return h('span', { class: `chip chip-${tone}` }, text);
}
