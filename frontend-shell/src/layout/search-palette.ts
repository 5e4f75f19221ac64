import type { SearchResult } from '@oneservice/plugin-sdk/ui';
import { createPageContext } from '../app/page-context.js';
import { importPageModule } from '../app/page-host.js';
import type { ShellServices } from '../app/services.js';
import type { SearchGroup } from '../core/search/search-registry.js';
import { h, replace, uid } from '../ui/dom.js';
import { trapFocus } from '../ui/focus-trap.js';

let pluginProvidersLoaded = false;

/** Plugin modules may export `searchProviders(ctx)`; they are imported the first time search opens. */
async function loadPluginProviders(services: ShellServices): Promise<void> {
  if (pluginProvidersLoaded || !services.session) return;
  pluginProvidersLoaded = true;
  const modules = [...new Set(services.menus.pages.map((p) => p.module))];
  await Promise.all(
    modules.map(async (url) => {
      try {
        const m = await importPageModule(url);
        for (const provider of m.searchProviders?.(createPageContext(services)) ?? []) services.search.register(provider);
      } catch {
        // A plugin whose module fails to load simply contributes no results; its page shows the error.
      }
    }),
  );
}

/** Resets plugin providers after a tenant switch or sign-in (another tenant may enable other plugins). */
export function resetPluginSearch(): void {
  pluginProvidersLoaded = false;
}

/** Ctrl+K: one box that searches pages, users, tenants and whatever plugins register. */
export function openSearchPalette(services: ShellServices): void {
  if (document.querySelector('.search-palette')) return;
  void loadPluginProviders(services);
  const listId = uid('search');
  const input = h('input', { type: 'text', class: 'input search-input', role: 'combobox', 'aria-expanded': 'true', 'aria-controls': listId, 'aria-autocomplete': 'list', 'aria-label': 'Search', placeholder: 'Search pages, users, tenants…', autocomplete: 'off', autofocus: true });
  const list = h('div', { class: 'search-results', id: listId, role: 'listbox', 'aria-label': 'Results' });
  const hint = h('div', { class: 'search-hint muted' }, '↑↓ to move · Enter to open · Esc to close');
  const dialog = h('div', { class: 'dialog search-palette', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Search' }, input, list, hint);
  const backdrop = h('div', { class: 'backdrop backdrop-search' }, dialog);
  document.body.appendChild(backdrop);

  let groups: SearchGroup[] = [];
  let flat: SearchResult[] = [];
  let active = 0;
  let controller: AbortController | null = null;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const close = () => {
    controller?.abort();
    release();
    backdrop.remove();
  };
  const release = trapFocus(dialog, close);
  backdrop.addEventListener('mousedown', (ev) => {
    if (ev.target === backdrop) close();
  });

  const open = (r: SearchResult) => {
    close();
    services.router.navigate(r.href);
  };

  const render = () => {
    flat = groups.flatMap((g) => g.results);
    active = Math.min(active, Math.max(0, flat.length - 1));
    let i = 0;
    const sections = groups
      .filter((g) => g.results.length)
      .map((g) =>
        h(
          'div',
          { class: 'search-group', role: 'group', 'aria-label': g.provider.title },
          h('div', { class: 'search-group-title', 'aria-hidden': 'true' }, g.provider.title),
          ...g.results.map((r) => {
            const index = i++;
            return h('div', { id: `${listId}-${index}`, role: 'option', class: `search-option${index === active ? ' is-active' : ''}`, 'aria-selected': String(index === active), onmousedown: (ev: Event) => { ev.preventDefault(); open(r); } }, h('span', { class: 'search-title' }, r.title), r.subtitle ? h('span', { class: 'search-subtitle muted' }, r.subtitle) : null);
          }),
        ),
      );
    if (sections.length) replace(list, ...sections);
    else replace(list, h('div', { class: 'search-empty muted', role: 'status' }, input.value.trim() ? 'No results' : 'Type to search'));
    input.setAttribute('aria-activedescendant', flat.length ? `${listId}-${active}` : '');
  };

  const run = () => {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    groups = [];
    const q = input.value;
    if (!q.trim()) return render();
    void services.search.query(q, ctl.signal, (g) => {
      if (ctl.signal.aborted) return;
      groups = [...groups.filter((x) => x.provider.id !== g.provider.id), g].sort((a, b) => order(a) - order(b));
      render();
    }).then(() => {
      if (!ctl.signal.aborted && groups.every((g) => g.results.length === 0)) render();
    });
  };
  const order = (g: SearchGroup) => ['pages', 'users', 'tenants'].indexOf(g.provider.id) >>> 0;

  input.addEventListener('input', () => {
    active = 0;
    clearTimeout(debounce);
    debounce = setTimeout(run, 150);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!flat.length) return;
      active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + flat.length) % flat.length;
      render();
      document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      const r = flat[active];
      if (r) open(r);
    }
  });
  render();
}
