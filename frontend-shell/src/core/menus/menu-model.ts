import { normalisePath } from '../router/url-state.js';

// The menus come from GET /api/v1/ui/menus, already filtered by the server (permissions, plugin
// enablement per tenant). The shell still validates and orders them: it must never render a tab
// that leads nowhere, and one broken manifest must not break the whole frame.

export interface MenuTab {
  id: string;
  title: string;
  route: string;
  /** false when the page has no use for the time-range picker (the manifest says so). */
  timeRange?: boolean;
}
export interface MenuSection {
  id: string;
  title: string;
  icon: string;
  order: number;
  tabs: MenuTab[];
  plugin: string | null;
}
export interface MenuPage {
  route: string;
  plugin: string;
  module: string;
}
export interface Menus {
  sections: MenuSection[];
  pages: MenuPage[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Turns the raw answer into a clean model: drops malformed entries, drops tabs whose route has no
 * page (neither a shell page nor a plugin page), drops sections left without tabs, removes
 * duplicates, and sorts by `order` then title (so ties are stable across reloads).
 */
export function normaliseMenus(raw: unknown, hasShellRoute: (route: string) => boolean): Menus {
  const body = isRecord(raw) ? raw : {};
  const pages: MenuPage[] = [];
  const seenPages = new Set<string>();
  for (const p of Array.isArray(body.pages) ? body.pages : []) {
    if (!isRecord(p)) continue;
    const route = str(p.route);
    const plugin = str(p.plugin);
    const module = str(p.module);
    if (!route || !plugin || !module) continue;
    const norm = normalisePath(route);
    if (seenPages.has(norm)) continue;
    seenPages.add(norm);
    pages.push({ route: norm, plugin, module });
  }
  const reachable = (route: string) => hasShellRoute(route) || findPage(pages, route) !== null;

  const sections: MenuSection[] = [];
  const seenSections = new Set<string>();
  for (const s of Array.isArray(body.sections) ? body.sections : []) {
    if (!isRecord(s)) continue;
    const id = str(s.id);
    const title = str(s.title);
    if (!id || !title || seenSections.has(id)) continue;
    const seenTabs = new Set<string>();
    const tabs: MenuTab[] = [];
    for (const t of Array.isArray(s.tabs) ? s.tabs : []) {
      if (!isRecord(t)) continue;
      const tabId = str(t.id);
      const tabTitle = str(t.title);
      const route = str(t.route);
      if (!tabId || !tabTitle || !route || seenTabs.has(tabId)) continue;
      const norm = normalisePath(route);
      if (!reachable(norm)) continue;
      seenTabs.add(tabId);
      tabs.push({ id: tabId, title: tabTitle, route: norm, ...(t.timeRange === false ? { timeRange: false } : {}) });
    }
    if (tabs.length === 0) continue;
    seenSections.add(id);
    sections.push({
      id,
      title,
      icon: str(s.icon) ?? id,
      order: typeof s.order === 'number' && Number.isFinite(s.order) ? s.order : Number.MAX_SAFE_INTEGER,
      tabs,
      plugin: str(s.plugin),
    });
  }
  sections.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  return { sections, pages };
}

/** True when `path` is `route` or below it, segment-wise ("/runs" matches "/runs/7", not "/runsx"). */
export function routeMatches(route: string, path: string): boolean {
  if (route === '/') return path === '/';
  return path === route || path.startsWith(route + '/');
}

/** The plugin page serving `path`: the longest matching route wins. */
export function findPage(pages: readonly MenuPage[], path: string): MenuPage | null {
  let best: MenuPage | null = null;
  for (const p of pages) if (routeMatches(p.route, path) && (!best || p.route.length > best.route.length)) best = p;
  return best;
}

/** The section and tab a path belongs to (longest tab route wins), for highlighting the menus. */
export function findActive(sections: readonly MenuSection[], pages: readonly MenuPage[], path: string): { section: MenuSection; tab: MenuTab | null } | null {
  let best: { section: MenuSection; tab: MenuTab } | null = null;
  for (const section of sections) {
    for (const tab of section.tabs) {
      if (routeMatches(tab.route, path) && (!best || tab.route.length > best.tab.route.length)) best = { section, tab };
    }
  }
  if (best) return best;
  // A deep route of a plugin page that no tab names (e.g. /training/runs/42): its plugin's section.
  const page = findPage(pages, path);
  const section = page ? sections.find((s) => s.plugin === page.plugin) : undefined;
  return section ? { section, tab: null } : null;
}

/** Where "/" goes: the first tab of the first section, or null when the user may see nothing. */
export function homeRoute(sections: readonly MenuSection[]): string | null {
  return sections[0]?.tabs[0]?.route ?? null;
}
