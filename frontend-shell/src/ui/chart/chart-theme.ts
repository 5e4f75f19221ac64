/** Chart colours come from the same CSS variables as the rest of the theme, so both themes match. */
export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  background: string;
  palette: string[];
}

export function readChartColors(el: Element = document.documentElement): ChartColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1f2430'),
    muted: v('--text-muted', '#6b7280'),
    grid: v('--border', '#e5e7eb'),
    background: v('--surface', '#ffffff'),
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => v(`--chart-${i}`, '#632ca6')),
  };
}
