export type Theme = 'light' | 'dark';
const KEY = 'oneservice.theme';

/** The theme before the user is known: the stored choice, else the operating system's. */
export function initialTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a theme: CSS variables switch on `data-theme`, and charts re-read them through listeners. */
export class ThemeController {
  private current: Theme;
  private readonly listeners = new Set<(t: Theme) => void>();

  constructor(theme: Theme) {
    this.current = theme;
    this.apply();
  }

  get(): Theme {
    return this.current;
  }

  set(theme: Theme): void {
    if (theme === this.current) return;
    this.current = theme;
    localStorage.setItem(KEY, theme);
    this.apply();
    for (const l of [...this.listeners]) l(theme);
  }

  subscribe(listener: (t: Theme) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.current;
    document.documentElement.style.colorScheme = this.current;
  }
}
