import type { TraceWaterfallHandle, TraceWaterfallOptions, WaterfallSpan } from '@oneservice/plugin-sdk/ui';
import { h } from './dom.js';
import { formatDuration, timeTicks } from './observe/time-axis.js';
import { layoutWaterfall } from './observe/waterfall-layout.js';

/**
 * One trace as a waterfall: a row per span, indented under its parent, its bar placed on a time axis
 * from the trace start and coloured by status. It is a tree for keyboard users: ↑/↓ move, ←/→ go to
 * the parent or first child, Home/End jump, Enter or Space open the span.
 */
export function traceWaterfall(options: TraceWaterfallOptions): TraceWaterfallHandle {
  const layout = layoutWaterfall(options.spans);
  const total = layout.end - layout.start;
  let emphasis = options.emphasis;
  let selected: string | null = options.selected ?? null;
  let active = 0;

  const ticks = timeTicks(0, total, 6);
  const axis = h('div', { class: 'wf-axis', 'aria-hidden': 'true' },
    h('div', { class: 'wf-name-col' }, `${layout.rows.length} span${layout.rows.length === 1 ? '' : 's'} · ${formatDuration(total)}`),
    h('div', { class: 'wf-track' }, ...ticks.map((t) => h('span', { class: 'wf-tick', style: `left:${total > 0 ? (t / total) * 100 : 0}%` }, t === 0 ? '0' : formatDuration(t)))),
  );

  const rowEls = layout.rows.map((row, index) => {
    const span = row.span;
    const duration = Math.max(0, span.end - span.start);
    const label = `${span.name}${span.service ? ` (${span.service})` : ''}, ${formatDuration(duration)}, starts at +${formatDuration(span.start - layout.start)}, status ${span.status}`;
    const bar = h('div', {
      class: `wf-bar wf-status-${span.status}`,
      style: `left:${row.left * 100}%;width:max(${row.width * 100}%, 2px)`,
    });
    // The duration sits right of the bar, or inside its end when the bar reaches the right edge.
    const dur = h('span', { class: `wf-dur${row.left + row.width > 0.85 ? ' wf-dur-inside' : ''}`, style: row.left + row.width > 0.85 ? `right:${(1 - row.left - row.width) * 100}%` : `left:calc(${(row.left + row.width) * 100}% + 4px)` }, formatDuration(duration));
    const el = h('div', {
      class: 'wf-row', role: 'treeitem', tabindex: index === 0 ? '0' : '-1', 'aria-level': String(row.depth + 1),
      'aria-label': label, 'aria-selected': 'false', dataset: { spanId: span.id },
      ...(row.children.length ? { 'aria-expanded': 'true' } : {}),
    },
      h('div', { class: 'wf-name-col', style: `padding-left:${8 + row.depth * 14}px`, title: span.name },
        h('span', { class: `wf-dot wf-status-${span.status}`, 'aria-hidden': 'true' }),
        h('span', { class: 'wf-name' }, span.name),
        span.service ? h('span', { class: 'wf-service' }, span.service) : null,
      ),
      h('div', { class: 'wf-track' }, bar, dur),
    );
    el.addEventListener('click', () => choose(index));
    return el;
  });

  const tree = h('div', { class: 'wf-rows', role: 'tree', 'aria-label': 'Spans of the trace' }, ...rowEls);
  const el = h('div', { class: 'trace-waterfall' }, axis, tree);

  function focusRow(index: number) {
    if (index < 0 || index >= rowEls.length) return;
    rowEls[active]?.setAttribute('tabindex', '-1');
    active = index;
    const r = rowEls[index]!;
    r.setAttribute('tabindex', '0');
    r.focus();
  }

  function choose(index: number) {
    const row = layout.rows[index];
    if (!row) return;
    focusRow(index);
    handle.select(row.span.id);
    options.onSelect?.(row.span);
  }

  tree.addEventListener('keydown', (ev) => {
    const row = layout.rows[active];
    if (!row) return;
    const moves: Record<string, () => number> = {
      ArrowDown: () => active + 1,
      ArrowUp: () => active - 1,
      Home: () => 0,
      End: () => rowEls.length - 1,
      ArrowLeft: () => row.parent,
      ArrowRight: () => row.children[0] ?? active,
    };
    if (ev.key in moves) {
      ev.preventDefault();
      focusRow(moves[ev.key]!());
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      choose(active);
    }
  });

  function paint() {
    layout.rows.forEach((row, i) => {
      const r = rowEls[i]!;
      const isSelected = row.span.id === selected;
      r.classList.toggle('wf-selected', isSelected);
      r.setAttribute('aria-selected', String(isSelected));
      r.classList.toggle('wf-faint', emphasis ? !emphasis(row.span) : false);
    });
  }

  const handle: TraceWaterfallHandle = {
    el,
    select(id) {
      selected = id;
      const index = layout.rows.findIndex((r) => r.span.id === id);
      if (index >= 0) {
        rowEls[active]?.setAttribute('tabindex', '-1');
        active = index;
        rowEls[index]!.setAttribute('tabindex', '0');
      }
      paint();
    },
    setEmphasis(next?: (span: WaterfallSpan) => boolean) {
      emphasis = next;
      paint();
    },
  };
  if (selected) handle.select(selected);
  else paint();
  return handle;
}
