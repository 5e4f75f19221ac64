import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { isApiError } from '../core/api/api-error.js';
import { h, uid } from '../ui/dom.js';

/** Title row of a kernel page: the heading and the page's main actions. */
export function pageHeader(title: string, ...actions: Node[]): HTMLElement {
  return h('div', { class: 'page-header' }, h('h1', {}, title), ...actions);
}

export interface FormField {
  el: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

/** A labelled input with an error line wired by aria-describedby. */
export function formField(label: string, input: HTMLInputElement | HTMLSelectElement, help?: string): FormField {
  const id = input.id || uid('f');
  input.id = id;
  const error = h('div', { class: 'field-error', id: `${id}-err` });
  input.setAttribute('aria-describedby', `${id}-err`);
  const el = h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), input, help ? h('div', { class: 'field-help' }, help) : null, error);
  return { el, input, error };
}

/**
 * Puts a problem's field errors next to the fields (by input name) and returns whether any matched;
 * the caller shows the remaining text in the form's error line.
 */
export function showFieldErrors(fields: FormField[], e: unknown): boolean {
  for (const f of fields) {
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
  }
  if (!isApiError(e) || !e.problem.errors?.length) return false;
  let matched = false;
  for (const err of e.problem.errors) {
    const name = err.path.replace(/^\/+/, '').replace(/\//g, '.').replace(/^body\./, '');
    const f = fields.find((x) => x.input.name === name || name.endsWith(`.${x.input.name}`));
    if (f) {
      f.error.textContent = err.message;
      f.input.setAttribute('aria-invalid', 'true');
      matched = true;
    }
  }
  fields.find((f) => f.input.getAttribute('aria-invalid'))?.input.focus();
  return matched;
}

/** Asks the frame to reload the session's menus (a plugin was enabled or disabled). */
export function requestMenuReload(): void {
  window.dispatchEvent(new CustomEvent('oneservice:menus-changed'));
}

/** Opens the row named by `?open=<id>` (a search result or a shared link) once the page has loaded. */
export function openFromUrl(ctx: ShellContext, open: (id: string) => void): void {
  const id = ctx.router.location.query.get('open');
  if (id) open(id);
}

/** Keeps `?open=<id>` in the URL while a detail panel is open, so reload shows the same panel. */
export function trackOpen(ctx: ShellContext, id: string | null): void {
  ctx.router.setQuery({ open: id }, { replace: true });
}

export { roleLabel } from '../core/auth/display-names.js';

export const ROLES = ['TENANT_ADMIN', 'SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM', 'READONLY'] as const;
