import type { DialogHandle, ModalOptions } from '@oneservice/plugin-sdk/ui';
import { append, button, h, uid } from './dom.js';
import { trapFocus } from './focus-trap.js';

/** Modal dialog and side panel share this: a backdrop, role=dialog, focus trap, Esc and outside click close. */
function openDialog(options: ModalOptions, variant: 'modal' | 'panel'): DialogHandle {
  const titleId = uid('dlg');
  const body = h('div', { class: 'dialog-body' });
  append(body, [options.body].flat());
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    release();
    backdrop.remove();
    options.onClose?.();
  };
  const footer = options.actions?.length
    ? h(
        'footer',
        { class: 'dialog-footer' },
        ...options.actions.map((a) =>
          button(a.label, async (ev) => {
            const btn = ev.currentTarget as HTMLButtonElement;
            btn.disabled = true;
            try {
              const keep = await a.onClick?.();
              if (keep !== false) close();
            } finally {
              btn.disabled = false;
            }
          }, a.kind ?? 'default'),
        ),
      )
    : null;
  const el = h(
    'div',
    { class: `dialog dialog-${variant} dialog-${options.size ?? 'medium'}`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' },
    h('header', { class: 'dialog-header' }, h('h2', { id: titleId }, options.title), h('button', { type: 'button', class: 'dialog-close', 'aria-label': 'Close', onclick: close }, '×')),
    body,
    footer,
  );
  const backdrop = h('div', { class: `backdrop backdrop-${variant}` }, el);
  backdrop.addEventListener('mousedown', (ev) => {
    if (ev.target === backdrop) close();
  });
  document.body.appendChild(backdrop);
  const release = trapFocus(el, close);
  return { el, close };
}

export const modal = (options: ModalOptions) => openDialog(options, 'modal');
export const sidePanel = (options: ModalOptions) => openDialog(options, 'panel');

export function confirmDialog(title: string, detail: string, confirmLabel = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    modal({
      title,
      size: 'small',
      body: h('p', {}, detail),
      actions: [
        { label: 'Cancel', onClick: () => undefined },
        { label: confirmLabel, kind: 'danger', onClick: () => { answered = true; resolve(true); } },
      ],
      onClose: () => { if (!answered) resolve(false); },
    });
  });
}
