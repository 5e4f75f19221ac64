import type { DataTableHandle, DataTableOptions, PageOf, Router, TableColumn } from '@oneservice/plugin-sdk/ui';
import { errorText } from '../../core/api/api-error.js';
import { h, replace, uid } from '../dom.js';
import { plural } from '../../core/auth/display-names.js';
import { emptyState, errorState, loadingState } from '../states.js';
import { columnChooser, defaultColumns, readVisibleColumns, rememberColumns } from './column-chooser.js';
import { readList, writeList } from '../../core/router/url-state.js';
import { paginationBar } from './pagination-bar.js';
import {
  type TableState,
  applyLocalQuery,
  fromUrlParams,
  initialTableState,
  setFilters,
  setSearch,
  toUrlParams,
  toggleAll,
  toggleSelection,
  toggleSort,
} from './table-state.js';

/** Rows are this tall (CSS `--row-h`); virtual scrolling relies on it. */
const ROW_HEIGHT = 32;
/** Past this many rendered rows the body is virtualised (only the visible window is in the DOM). */
const VIRTUAL_THRESHOLD = 200;
const OVERSCAN = 10;

export function createDataTable(router: Router) {
  return function table<T>(options: DataTableOptions<T>): DataTableHandle<T> {
    const prefix = options.urlPrefix ?? '';
    const useUrl = options.urlState !== false;
    const local = options.source.kind === 'local';
    let localRows: readonly T[] = options.source.kind === 'local' ? options.source.rows : [];
    // A local table without a page size shows every row, virtualised; server tables always page.
    const paginate = !local || options.pageSize !== undefined;
    const defaults = { ...initialTableState(options.pageSize ?? 50), sort: options.defaultSort ?? null };
    let state: TableState = useUrl ? fromUrlParams(router.location.query, prefix, defaults, options.filterKeys) : { ...defaults };
    let page: PageOf<T> = { items: [], total: 0, page: 1, page_size: state.pageSize };
    let columns = options.columns;
    const colsKey = prefix ? `${prefix}.cols` : 'cols';
    // With urlColumns the URL wins over the browser's memory; its ids may name columns the page adds
    // later (setColumns), so they are kept as they are.
    const fromUrlColumns = () => (options.urlColumns && router.location.query.has(colsKey) ? new Set(readList(router.location.query, colsKey)) : null);
    let visible = fromUrlColumns() ?? readVisibleColumns(options.id, columns);
    let controller: AbortController | null = null;
    let focusIndex = 0;
    let destroyed = false;

    const valueOf = (row: T, columnId: string) => {
      const col = columns.find((c) => c.id === columnId);
      return col?.value ? col.value(row) : (row as Record<string, unknown>)[columnId] as string | number | null | undefined;
    };
    const cols = () => columns.filter((c) => visible.has(c.id));
    const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((id) => b.has(id));
    function showColumns(next: Set<string>) {
      visible = next;
      if (options.urlColumns) {
        const list = sameSet(next, defaultColumns(columns)) ? null : writeList(columns.filter((c) => next.has(c.id)).map((c) => c.id));
        router.setQuery({ [colsKey]: list }, { replace: true });
      }
      renderHead();
      renderBody();
      options.onColumnsChange?.([...visible]);
    }

    // ——— structure ———
    const caption = uid('tbl');
    // tabindex -1: focus parks here while the virtual window swaps rows (see renderWindow).
    const scroller = h('div', { class: 'table-scroll', tabindex: '-1', style: options.height ? `max-height:${options.height}px` : undefined });
    const tableEl = h('table', { class: 'data-table', 'aria-describedby': caption });
    const thead = h('thead');
    const tbody = h('tbody');
    tableEl.append(thead, tbody);
    scroller.appendChild(tableEl);
    const status = h('div', { class: 'table-status', id: caption, 'aria-live': 'polite' });
    const overlay = h('div', { class: 'table-overlay' });
    const footer = h('div', { class: 'table-footer' });
    const searchInput = options.searchable
      ? h('input', { type: 'search', class: 'input table-search', placeholder: 'Search', 'aria-label': 'Search the table', value: state.q })
      : null;
    const toolbar = h(
      'div',
      { class: 'table-toolbar' },
      searchInput,
      ...(options.toolbar ?? []),
      h('span', { class: 'toolbar-spacer' }),
      status,
      columnChooser(() => columns, () => visible, (next) => {
        rememberColumns(options.id, next);
        showColumns(next);
      }),
    );
    const el = h('div', { class: 'table-wrap' }, toolbar, h('div', { class: 'table-frame' }, scroller, overlay), footer);

    let debounce: ReturnType<typeof setTimeout> | undefined;
    searchInput?.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => update(setSearch(state, searchInput.value.trim()), true), 300);
    });

    // ——— state changes ———
    function update(next: TableState, replaceHistory = false, reload = true) {
      const selectionChanged = next.selection.join() !== state.selection.join();
      state = next;
      if (useUrl) router.setQuery(toUrlParams(state, prefix, defaults), { replace: replaceHistory });
      if (selectionChanged) options.onSelectionChange?.([...state.selection]);
      if (reload) void load();
      else renderBody();
    }

    const unsubscribe = useUrl
      ? router.subscribe((loc) => {
          if (destroyed) return;
          const urlColumns = fromUrlColumns() ?? (options.urlColumns ? defaultColumns(columns) : null);
          if (urlColumns && !sameSet(urlColumns, visible)) {
            visible = urlColumns;
            renderHead();
            renderBody();
            options.onColumnsChange?.([...visible]);
          }
          const fromUrl = fromUrlParams(loc.query, prefix, defaults, options.filterKeys);
          // Without declared filter keys the filters are the page's business (setFilters), not the URL's.
          if (!options.filterKeys) fromUrl.filters = state.filters;
          if (JSON.stringify(fromUrl) === JSON.stringify(state)) return;
          // Back/forward or a filter bar changed the URL: follow it. Only a selection change needs no fetch.
          const onlySelection = JSON.stringify({ ...fromUrl, selection: [] }) === JSON.stringify({ ...state, selection: [] });
          state = fromUrl;
          if (searchInput) searchInput.value = state.q;
          if (onlySelection) {
            renderHead();
            renderBody();
          } else void load();
        })
      : () => undefined;

    async function load() {
      controller?.abort();
      const ctl = new AbortController();
      controller = ctl;
      overlay.replaceChildren(loadingState());
      overlay.hidden = false;
      el.setAttribute('aria-busy', 'true');
      try {
        if (options.source.kind === 'local') page = applyLocalQuery(localRows, valueOf, columns.map((c) => c.id), state, paginate);
        else page = await options.source.fetch(state, ctl.signal);
        if (ctl.signal.aborted) return;
        overlay.hidden = true;
        focusIndex = Math.min(focusIndex, Math.max(0, page.items.length - 1));
        renderHead();
        renderBody();
        renderFooter();
      } catch (e) {
        if (ctl.signal.aborted) return;
        page = { items: [], total: 0, page: 1, page_size: state.pageSize };
        renderBody();
        renderFooter();
        overlay.replaceChildren(errorState({ title: 'Could not load the data', detail: errorText(e), action: { label: 'Retry', onClick: () => void load() } }));
      } finally {
        if (controller === ctl) el.removeAttribute('aria-busy');
      }
    }

    // ——— rendering ———
    function renderHead() {
      const keys = page.items.map(options.rowKey);
      const allChecked = keys.length > 0 && keys.every((k) => state.selection.includes(k));
      const selectAll = options.selectable
        ? h('th', { class: 'col-select', scope: 'col' }, h('input', { type: 'checkbox', 'aria-label': 'Select all rows on this page', checked: allChecked, onchange: () => update(toggleAll(state, keys), true, false) }))
        : null;
      replace(thead, h('tr', {}, selectAll, ...cols().map(headerCell)));
    }

    function headerCell(col: TableColumn<T>) {
      const sorted = state.sort?.field === col.id ? state.sort.direction : null;
      const th = h('th', { scope: 'col', style: col.width ? `width:${col.width}` : undefined, class: `align-${col.align ?? 'left'}`, 'aria-sort': sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : col.sortable ? 'none' : undefined });
      if (!col.sortable) th.textContent = col.title;
      else th.appendChild(h('button', { type: 'button', class: 'th-sort', onclick: () => update(toggleSort(state, col.id, defaults.sort)) }, col.title, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕')));
      return th;
    }

    function rowEl(row: T, index: number) {
      const key = options.rowKey(row);
      const selected = state.selection.includes(key);
      const tr = h('tr', { 'data-key': key, 'data-index': String(index), tabindex: index === focusIndex ? '0' : '-1', 'aria-selected': options.selectable ? String(selected) : undefined, class: `${options.onRowClick ? 'is-clickable' : ''}${selected ? ' is-selected' : ''}` });
      if (options.selectable) {
        tr.appendChild(h('td', { class: 'col-select' }, h('input', { type: 'checkbox', tabindex: '-1', 'aria-label': `Select row ${key}`, checked: selected, onclick: (ev: Event) => ev.stopPropagation(), onchange: () => update(toggleSelection(state, key), true, false) })));
      }
      for (const col of cols()) {
        const content = col.render ? col.render(row) : String(col.value ? col.value(row) ?? '—' : (row as Record<string, unknown>)[col.id] ?? '—');
        tr.appendChild(h('td', { class: `align-${col.align ?? 'left'}` }, content));
      }
      return tr;
    }

    const virtual = () => page.items.length > VIRTUAL_THRESHOLD;

    function renderBody() {
      if (page.items.length === 0) {
        const empty = options.empty ?? { title: state.q || Object.keys(state.filters).length ? 'No rows match' : 'Nothing here yet' };
        replace(tbody, h('tr', { class: 'row-empty' }, h('td', { colspan: String(cols().length + (options.selectable ? 1 : 0)) }, emptyState(empty))));
        status.textContent = '';
        return;
      }
      if (!virtual()) {
        replace(tbody, ...page.items.map((row, i) => rowEl(row, i)));
      } else {
        renderWindow();
      }
      status.textContent = state.selection.length ? `${state.selection.length} selected` : '';
    }

    function renderWindow() {
      const viewport = scroller.clientHeight || options.height || 480;
      const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
      const last = Math.min(page.items.length, first + Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN);
      const span = cols().length + (options.selectable ? 1 : 0);
      const spacer = (height: number) => h('tr', { class: 'row-spacer', 'aria-hidden': 'true' }, h('td', { colspan: String(span), style: `height:${height}px` }));
      const rows = page.items.slice(first, last).map((row, i) => rowEl(row, first + i));
      // Removing the focused row makes Chrome lay out mid-swap, with the body briefly short, which
      // clamps scrollTop (End on row 1 of 10,000 landed back at the top). Focus waits on the
      // scroller, outside the rows, and the caller puts it back on a row.
      const active = document.activeElement;
      if (active instanceof HTMLElement && tbody.contains(active)) scroller.focus({ preventScroll: true });
      replace(tbody, first > 0 ? spacer(first * ROW_HEIGHT) : null, ...rows, last < page.items.length ? spacer((page.items.length - last) * ROW_HEIGHT) : null);
      tableEl.setAttribute('aria-rowcount', String(page.items.length + 1));
      rows.forEach((tr, i) => tr.setAttribute('aria-rowindex', String(first + i + 2)));
    }

    let scrollFrame = 0;
    scroller.addEventListener('scroll', () => {
      if (!virtual() || scrollFrame) return;
      scrollFrame = requestAnimationFrame(() => {
        scrollFrame = 0;
        const focused = document.activeElement;
        const hadFocus = focused instanceof HTMLElement && tbody.contains(focused);
        renderWindow();
        if (hadFocus) tbody.querySelector<HTMLElement>(`tr[data-index="${focusIndex}"]`)?.focus({ preventScroll: true });
      });
    });

    function renderFooter() {
      if (!paginate) {
        replace(footer, h('span', { class: 'muted' }, plural(page.total, 'row')));
        return;
      }
      replace(footer, paginationBar(state, page.total, (next) => update(next)));
    }

    // ——— keyboard: one row in the tab order, arrows move, Enter opens, Space selects ———
    function focusRow(index: number) {
      if (page.items.length === 0) return;
      focusIndex = Math.max(0, Math.min(page.items.length - 1, index));
      if (virtual()) {
        const top = focusIndex * ROW_HEIGHT;
        if (top < scroller.scrollTop + ROW_HEIGHT || top > scroller.scrollTop + scroller.clientHeight - 2 * ROW_HEIGHT) {
          scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 2);
        }
        renderWindow();
      }
      for (const tr of tbody.querySelectorAll<HTMLElement>('tr[data-index]')) tr.tabIndex = Number(tr.dataset.index) === focusIndex ? 0 : -1;
      tbody.querySelector<HTMLElement>(`tr[data-index="${focusIndex}"]`)?.focus();
    }
    tbody.addEventListener('keydown', (ev) => {
      const tr = (ev.target as Element).closest?.('tr[data-index]');
      if (!(tr instanceof HTMLElement) || ev.target !== tr) return;
      const index = Number(tr.dataset.index);
      const pageRows = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
      const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: page.items.length - 1, PageDown: index + pageRows, PageUp: index - pageRows };
      if (ev.key in moves) {
        ev.preventDefault();
        focusRow(moves[ev.key]!);
      } else if (ev.key === 'Enter' && options.onRowClick) {
        ev.preventDefault();
        const row = page.items[index];
        if (row) options.onRowClick(row);
      } else if (ev.key === ' ' && options.selectable) {
        ev.preventDefault();
        update(toggleSelection(state, tr.dataset.key ?? ''), true, false);
        focusRow(index);
      }
    });
    tbody.addEventListener('click', (ev) => {
      const tr = (ev.target as Element).closest?.('tr[data-index]');
      if (!(tr instanceof HTMLElement) || !options.onRowClick) return;
      if ((ev.target as Element).closest('a,button,input,select')) return;
      focusIndex = Number(tr.dataset.index);
      const row = page.items[focusIndex];
      if (row) options.onRowClick(row);
    });

    renderHead();
    void load();

    return {
      el,
      reload: load,
      setRows(rows) {
        localRows = rows;
        void load();
      },
      setFilters(filters) {
        update(setFilters(state, filters), true);
      },
      selection: () => [...state.selection],
      setColumns(next) {
        columns = next;
        renderHead();
        renderBody();
      },
      visibleColumns: () => cols().map((c) => c.id),
      updateRow(key, change) {
        const index = page.items.findIndex((row) => options.rowKey(row) === key);
        if (index < 0) return false;
        const row = change(page.items[index]!);
        page = { ...page, items: page.items.map((r, i) => (i === index ? row : r)) };
        const tr = [...tbody.querySelectorAll<HTMLElement>('tr[data-key]')].find((el) => el.dataset.key === key);
        if (tr) {
          const hadFocus = tr.contains(document.activeElement);
          const next = rowEl(row, index);
          tr.replaceWith(next);
          if (hadFocus) next.focus({ preventScroll: true });
        }
        return true;
      },
      rows: () => page.items,
      destroy() {
        destroyed = true;
        controller?.abort();
        unsubscribe();
      },
    };
  };
}
