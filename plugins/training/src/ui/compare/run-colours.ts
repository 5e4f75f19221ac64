/// <reference lib="dom" />
/**
 * One colour per compared run, by its position, so a run has the same colour in every chart and
 * table of the page. The theme's chart palette (--chart-1…8) keeps them readable in both themes.
 */
const PALETTE_SIZE = 8;

/** A CSS colour for tables and swatches; follows a theme switch by itself. */
export const runColour = (index: number): string => `var(--chart-${(index % PALETTE_SIZE) + 1})`;

/** The same colour as a concrete value, for a chart renderer that cannot read CSS variables. */
export function resolvedRunColour(index: number, from: Element = document.documentElement): string {
  return getComputedStyle(from).getPropertyValue(`--chart-${(index % PALETTE_SIZE) + 1}`).trim() || '#888';
}
