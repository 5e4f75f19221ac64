import { describe, expect, it } from '@jest/globals';
import { findActive, findPage, homeRoute, normaliseMenus, routeMatches } from '../src/core/menus/menu-model.js';

const shellRoutes = new Set(['/admin/tenants', '/admin/users', '/admin/api-tokens', '/admin/audit', '/settings/datasources', '/settings/plugins']);
const hasShellRoute = (r: string) => shellRoutes.has(r);

const raw = {
  sections: [
    { id: 'settings', title: 'Settings', icon: 'settings', order: 90, plugin: null, tabs: [
      { id: 'datasources', title: 'Datasources', route: '/settings/datasources' },
      { id: 'plugins', title: 'Plugins', route: '/settings/plugins' },
    ] },
    { id: 'training', title: 'Training', icon: 'activity', order: 40, plugin: 'training', tabs: [
      { id: 'runs', title: 'Runs', route: '/training/runs' },
      { id: 'compare', title: 'Compare', route: '/training/compare/' },
    ] },
    { id: 'k8s-events', title: 'K8S Events', icon: 'bolt', order: 30, plugin: 'k8s-events', tabs: [
      { id: 'stream', title: 'Event stream', route: '/k8s-events' },
    ] },
    { id: 'ghost', title: 'Ghost', icon: 'x', order: 10, plugin: 'ghost', tabs: [{ id: 'a', title: 'A', route: '/ghost' }] },
    { id: 'training', title: 'Duplicate', icon: 'x', order: 1, plugin: 'training', tabs: [{ id: 'runs', title: 'Runs', route: '/training/runs' }] },
    { id: 'broken', order: 5, tabs: [] },
    'not an object',
  ],
  pages: [
    { route: '/training', plugin: 'training', module: '/plugins/training/ui.js' },
    { route: '/k8s-events', plugin: 'k8s-events', module: '/plugins/k8s-events/ui.js' },
    { route: '/k8s-events', plugin: 'k8s-events', module: '/plugins/k8s-events/other.js' },
    { route: '/bad' },
  ],
};

describe('menus', () => {
  const menus = normaliseMenus(raw, hasShellRoute);

  it('orders sections by `order` and drops malformed, duplicate and dead-end entries', () => {
    expect(menus.sections.map((s) => s.id)).toEqual(['k8s-events', 'training', 'settings']);
    expect(menus.pages).toHaveLength(2);
  });

  it('keeps only tabs that lead to a page, with normalised routes', () => {
    const training = menus.sections.find((s) => s.id === 'training')!;
    expect(training.tabs.map((t) => t.route)).toEqual(['/training/runs', '/training/compare']);
  });

  it('breaks order ties by title so the menu is stable', () => {
    const m = normaliseMenus({ sections: [
      { id: 'b', title: 'Beta', order: 1, tabs: [{ id: 't', title: 'T', route: '/admin/users' }] },
      { id: 'a', title: 'Alpha', order: 1, tabs: [{ id: 't', title: 'T', route: '/admin/audit' }] },
    ], pages: [] }, hasShellRoute);
    expect(m.sections.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('survives a body that is not a menu at all', () => {
    expect(normaliseMenus(null, hasShellRoute)).toEqual({ sections: [], pages: [] });
    expect(homeRoute([])).toBeNull();
  });

  it('matches routes by whole segments, longest first', () => {
    expect(routeMatches('/training', '/training/runs/7')).toBe(true);
    expect(routeMatches('/training', '/trainingx')).toBe(false);
    expect(findPage(menus.pages, '/training/runs/7')?.plugin).toBe('training');
    expect(findPage(menus.pages, '/nothing')).toBeNull();
  });

  it('finds the active section and tab, also for deep plugin routes no tab names', () => {
    const a = findActive(menus.sections, menus.pages, '/training/compare');
    expect([a?.section.id, a?.tab?.id]).toEqual(['training', 'compare']);
    const deep = findActive(menus.sections, menus.pages, '/training/runs/42');
    expect([deep?.section.id, deep?.tab?.id]).toEqual(['training', 'runs']);
    const other = findActive(menus.sections, menus.pages, '/training/artifacts');
    expect([other?.section.id, other?.tab]).toEqual(['training', null]);
    expect(findActive(menus.sections, menus.pages, '/unknown')).toBeNull();
    expect(homeRoute(menus.sections)).toBe('/k8s-events');
  });
});
