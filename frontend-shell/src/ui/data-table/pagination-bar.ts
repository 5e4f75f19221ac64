import { h } from '../dom.js';
import { PAGE_SIZES, type TableState, lastPage, setPage, setPageSize } from './table-state.js';

export function paginationBar(state: TableState, total: number, onChange: (next: TableState) => void): HTMLElement {
  const last = lastPage(total, state.pageSize);
  const first = total === 0 ? 0 : (state.page - 1) * state.pageSize + 1;
  const end = Math.min(total, state.page * state.pageSize);
  // A table may start with a page size of its own (10 in a small card): offer it too.
  const sizes = [...new Set([state.pageSize, ...PAGE_SIZES])].sort((a, b) => a - b);
  const sizeSelect = h('select', { class: 'input', 'aria-label': 'Rows per page' }, ...sizes.map((s) => h('option', { value: String(s) }, `${s} / page`)));
  sizeSelect.value = String(state.pageSize);
  sizeSelect.addEventListener('change', () => onChange(setPageSize(state, Number(sizeSelect.value))));
  const nav = (label: string, page: number, disabled: boolean, text: string) =>
    h('button', { type: 'button', class: 'btn btn-ghost', 'aria-label': label, disabled, onclick: () => onChange(setPage(state, page, total)) }, text);
  return h(
    'nav',
    { class: 'pagination', 'aria-label': 'Pagination' },
    h('span', { class: 'muted' }, total ? `${first.toLocaleString()}–${end.toLocaleString()} of ${total.toLocaleString()}` : 'No rows'),
    sizeSelect,
    nav('First page', 1, state.page <= 1, '«'),
    nav('Previous page', state.page - 1, state.page <= 1, '‹'),
    h('span', { class: 'page-no' }, `Page ${state.page} of ${last}`),
    nav('Next page', state.page + 1, state.page >= last, '›'),
    nav('Last page', last, state.page >= last, '»'),
  );
}
