import { trapFocus } from './focus-trap.js';

/**
 * A popover opened by its trigger button and appended to `anchor`: focus stays inside while it is
 * open; Esc (through the focus trap), a press outside the anchor or a second click closes it.
 * `build` makes the content each time it opens and gets `close` for its own actions.
 */
export function attachPopover(anchor: HTMLElement, trigger: HTMLElement, build: (close: () => void) => HTMLElement): void {
  let pop: HTMLElement | null = null;
  let release: (() => void) | null = null;
  const close = () => {
    release?.();
    release = null;
    pop?.remove();
    pop = null;
    trigger.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', outside);
  };
  const outside = (ev: MouseEvent) => {
    if (pop && !anchor.contains(ev.target as Node)) close();
  };
  trigger.addEventListener('click', () => {
    if (pop) return close();
    pop = build(close);
    anchor.appendChild(pop);
    trigger.setAttribute('aria-expanded', 'true');
    release = trapFocus(pop, close);
    document.addEventListener('mousedown', outside);
  });
}
