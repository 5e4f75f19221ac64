/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Page, Run } from '../api-types.js';

export interface RunPickerOptions {
  /** Runs already compared: listed as such, not offered again. */
  exclude: () => readonly string[];
  onPick: (run: Run) => void;
}

const SEARCH_DELAY_MS = 200;

/**
 * "Add run": a search box over `GET /runs?q=` (name, id, tag) with a list of matches to pick from
 * by mouse or keyboard (arrows, Enter, Escape). Results are the tenant's own runs only — the
 * server scopes the list.
 */
export function runPicker(ctx: ShellContext, options: RunPickerOptions): HTMLElement {
  const { h } = ctx.ui;
  const listId = `run-picker-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', {
    type: 'search', class: 'input cmp-picker-input', placeholder: 'Add a run: name, id or tag',
    'aria-label': 'Add a run to the comparison', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': listId, 'aria-autocomplete': 'list',
  });
  const list = h('ul', { class: 'cmp-picker-list', id: listId, role: 'listbox', hidden: true });
  let matches: Run[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: AbortController | null = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const pick = (run: Run) => {
    options.onPick(run);
    input.value = '';
    close();
  };
  const draw = (note?: string) => {
    const options_ = matches.map((run, i) => h('li', {
      role: 'option', id: `${listId}-${i}`, class: 'cmp-picker-option', 'aria-selected': String(i === active),
      onmousedown: (ev: MouseEvent) => ev.preventDefault(), onclick: () => pick(run),
    }, h('span', { class: 'cmp-picker-name' }, run.name), h('span', { class: 'muted' }, ` ${run.project} · ${run.status}`)));
    list.replaceChildren(...options_, ...(note ? [h('li', { class: 'cmp-picker-note muted', role: 'presentation' }, note)] : []));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const search = async () => {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    try {
      const answer = await ctx.api.get<Page<Run>>('/api/v1/runs', { query: { q: input.value.trim() || undefined, page_size: 10, sort: '-created_at' }, signal: controller.signal, silent: true });
      if (controller.signal.aborted) return;
      const taken = new Set(options.exclude());
      matches = answer.items.filter((run) => !taken.has(run.id));
      active = matches.length ? 0 : -1;
      draw(matches.length ? undefined : 'No other run matches');
    } catch (error) {
      if (controller.signal.aborted) return;
      matches = [];
      draw(`Search failed: ${(error as Error).message}`);
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), SEARCH_DELAY_MS);
  });
  input.addEventListener('focus', () => void search());
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') return close();
    if (!matches.length) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = (active + (ev.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      draw();
    } else if (ev.key === 'Enter' && active >= 0) {
      ev.preventDefault();
      pick(matches[active]!);
    }
  });
  return h('div', { class: 'cmp-picker' }, input, list);
}
