import type { FilterBarHandle, FilterBarOptions, Router } from '@oneservice/plugin-sdk/ui';
import { h, uid } from './dom.js';

/** Filters as labelled inputs; values live in the URL under the field ids so a filtered view is a link. */
export function createFilterBar(router: Router) {
  return function filterBar(options: FilterBarOptions): FilterBarHandle {
    const useUrl = options.urlState !== false;
    const values: Record<string, string> = {};
    for (const f of options.fields) values[f.id] = useUrl ? router.location.query.get(f.id) ?? '' : '';
    let debounce: ReturnType<typeof setTimeout> | undefined;

    const commit = (replace: boolean) => {
      if (useUrl) router.setQuery({ ...values, page: null }, { replace });
      options.onChange({ ...values });
    };

    const controls = options.fields.map((f) => {
      const id = uid('filter');
      let input: HTMLInputElement | HTMLSelectElement;
      if (f.kind === 'select') {
        input = h('select', { id, class: 'input', name: f.id }, h('option', { value: '' }, `All`), ...(f.options ?? []).map((o) => h('option', { value: o.value }, o.label)));
        input.value = values[f.id] ?? '';
        input.addEventListener('change', () => {
          values[f.id] = input.value;
          commit(false);
        });
      } else {
        input = h('input', { id, class: 'input', type: 'search', name: f.id, placeholder: f.placeholder ?? '', value: values[f.id] ?? '' });
        // Typing replaces the history entry (no entry per key); debounced so the API sees whole words.
        input.addEventListener('input', () => {
          values[f.id] = input.value;
          clearTimeout(debounce);
          debounce = setTimeout(() => commit(true), 300);
        });
      }
      // Label beside (not around) the control, so a select's accessible name is its label alone.
      return h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: id }, f.label), input);
    });
    const el = h('div', { class: 'filter-bar', role: 'search' }, ...controls);

    // Back/forward changes the URL under us: show those values.
    if (useUrl) {
      const unsubscribe = router.subscribe((loc) => {
        if (!el.isConnected) return unsubscribe();
        let changed = false;
        options.fields.forEach((f, i) => {
          const v = loc.query.get(f.id) ?? '';
          if (v !== values[f.id]) {
            values[f.id] = v;
            const input = controls[i]?.querySelector<HTMLInputElement | HTMLSelectElement>('input,select');
            if (input) input.value = v;
            changed = true;
          }
        });
        if (changed) options.onChange({ ...values });
      });
    }
    return { el, values: () => ({ ...values }) };
  };
}
