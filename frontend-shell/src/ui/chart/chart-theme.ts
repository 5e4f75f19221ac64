/** Chart colours come from the same CSS variables as the rest of the theme, so both themes match. */
export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  background: string;
  palette: string[];
  danger: string;
  accent: string;
}

let cached: { theme: string | undefined; colors: ChartColors } | null = null;

/**
 * The theme's chart colours. Read once per theme: getComputedStyle forces a style recalculation, and
 * a grid of thirty panels would otherwise pay it on every redraw of every panel.
 */
export function readChartColors(el: Element = document.documentElement): ChartColors {
  const theme = document.documentElement.dataset.theme;
  if (el === document.documentElement && cached && cached.theme === theme && theme !== undefined) return cached.colors;
  const colors = readColors(el);
  if (el === document.documentElement) cached = { theme, colors };
  return colors;
}

function readColors(el: Element): ChartColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1f2430'),
    muted: v('--text-muted', '#6b7280'),
    grid: v('--border', '#e5e7eb'),
    background: v('--surface', '#ffffff'),
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => v(`--chart-${i}`, '#632ca6')),
    danger: v('--danger', '#c4263a'),
    accent: v('--accent', '#632ca6'),
  };
}
