import type { LogLine, LogViewerHandle, LogViewerOptions } from '@oneservice/plugin-sdk/ui';
import { button, formatDateTime, h, replace } from './dom.js';

/**
 * A live log panel: level colours, a text filter that highlights matches, pause/resume (new lines
 * wait in a buffer so reading is not disturbed) and follow-the-tail scrolling. Old lines are
 * dropped past `maxLines` so a long tail keeps the page fast.
 */
export function logViewer(options: LogViewerOptions = {}): LogViewerHandle {
  const maxLines = options.maxLines ?? 5000;
  let lines: LogLine[] = [];
  let buffer: LogLine[] = [];
  let paused = false;
  let filter = '';

  const list = h('div', { class: 'log-lines', role: 'log', 'aria-live': 'off', tabindex: '0', style: `height:${options.height ?? 360}px` });
  const count = h('span', { class: 'log-count' });
  const pauseBtn = button('Pause', () => {
    paused = !paused;
    pauseBtn.textContent = paused ? `Resume` : 'Pause';
    pauseBtn.setAttribute('aria-pressed', String(paused));
    if (!paused && buffer.length) {
      const b = buffer;
      buffer = [];
      handle.append(b);
    }
    updateCount();
  }, 'default', { 'aria-pressed': 'false' });
  const filterInput = h('input', { type: 'search', class: 'input', placeholder: 'Filter lines', 'aria-label': 'Filter log lines' });
  filterInput.addEventListener('input', () => {
    filter = filterInput.value.trim().toLowerCase();
    render();
  });
  const el = h('div', { class: 'log-viewer' }, h('div', { class: 'log-toolbar' }, filterInput, pauseBtn, count), list);

  const updateCount = () => {
    count.textContent = `${lines.length} lines${buffer.length ? ` · ${buffer.length} waiting` : ''}`;
  };

  const row = (line: LogLine) => {
    const level = (line.level ?? '').toLowerCase();
    const msg = h('span', { class: 'log-msg' });
    highlight(msg, line.message, filter);
    const r = h(
      'div',
      { class: `log-line level-${level || 'none'}` },
      h('span', { class: 'log-ts' }, formatDateTime(line.ts)),
      line.level ? h('span', { class: 'log-level' }, line.level.toUpperCase()) : null,
      line.source ? h('span', { class: 'log-source' }, line.source) : null,
      msg,
    );
    if (options.onSelect) {
      r.tabIndex = 0;
      r.addEventListener('click', () => options.onSelect?.(line));
      r.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') options.onSelect?.(line);
      });
    }
    return r;
  };

  const matches = (line: LogLine) => !filter || `${line.level ?? ''} ${line.source ?? ''} ${line.message}`.toLowerCase().includes(filter);

  function render() {
    replace(list, ...lines.filter(matches).map(row));
    list.scrollTop = list.scrollHeight;
    updateCount();
  }

  const handle: LogViewerHandle = {
    el,
    append(newLines) {
      if (paused) {
        buffer.push(...newLines);
        updateCount();
        return;
      }
      // Follow the tail only when the reader is already at the bottom.
      const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
      lines.push(...newLines);
      const overflow = lines.length - maxLines;
      if (overflow > 0) {
        lines = lines.slice(overflow);
        for (let i = 0; i < overflow && list.firstChild; i++) list.firstChild.remove();
      }
      for (const l of newLines) if (matches(l)) list.appendChild(row(l));
      if (atBottom) list.scrollTop = list.scrollHeight;
      updateCount();
    },
    clear() {
      lines = [];
      buffer = [];
      render();
    },
    paused: () => paused,
  };
  handle.append(options.lines ?? []);
  return handle;
}

function highlight(target: HTMLElement, text: string, needle: string): void {
  if (!needle) {
    target.textContent = text;
    return;
  }
  const lower = text.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    target.append(text.slice(at, i), h('mark', {}, text.slice(i, i + needle.length)));
    at = i + needle.length;
  }
  target.append(text.slice(at));
}
