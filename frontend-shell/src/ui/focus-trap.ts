import { focusables } from './dom.js';

/**
 * Keeps Tab and Shift+Tab inside `root` and closes on Escape; returns the release function, which
 * gives focus back to where it was before (keyboard users must not be dropped at the page top).
 */
export function trapFocus(root: HTMLElement, onEscape: () => void): () => void {
  const before = document.activeElement as HTMLElement | null;
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      onEscape();
      return;
    }
    if (ev.key !== 'Tab') return;
    const items = focusables(root);
    if (items.length === 0) {
      ev.preventDefault();
      root.focus();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (ev.shiftKey && (document.activeElement === first || document.activeElement === root)) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && document.activeElement === last) {
      ev.preventDefault();
      first.focus();
    }
  };
  root.addEventListener('keydown', onKey);
  queueMicrotask(() => {
    const autofocus = root.querySelector<HTMLElement>('[autofocus]') ?? focusables(root).find((el) => !el.classList.contains('dialog-close')) ?? root;
    autofocus.focus();
  });
  return () => {
    root.removeEventListener('keydown', onKey);
    if (before && before.isConnected) before.focus();
  };
}
