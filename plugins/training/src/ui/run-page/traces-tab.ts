/// <reference lib="dom" />
import type { ApiErrorLike, DialogHandle, ShellContext, WaterfallSpan } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import type { TraceSpan, TraceSummary } from './observation-types.js';
import type { RunTab } from './run-tab.js';
import { keeps, slowThreshold, type TraceFilter } from './traces/slow-filter.js';

const ms = (v: number) => (v < 1000 ? `${Number(v.toFixed(1))} ms` : `${Number((v / 1000).toFixed(2))} s`);
const when = (v: number) => new Date(v).toLocaleString();

/**
 * Traces: the run's key-step traces as a list, one opened as a waterfall with a span's attributes
 * in a side panel. The view is the URL: `trace=<id>` opens a trace, `span=<id>` its span, so a link
 * shows exactly what its sender saw.
 */
export const tracesTab: RunTab = {
  id: 'traces',
  title: 'Traces',
  available: true,
  mount(el, ctx, run) {
    let closed = false;
    let shownTrace: string | null | undefined;
    let view: { select(span: string | null): void; dispose(): void } | null = null;

    const render = () => {
      if (closed) return;
      const q = ctx.router.location.query;
      if (q.get('tab') !== null && q.get('tab') !== 'traces') return;
      const trace = q.get('trace');
      if (trace !== shownTrace) {
        view?.dispose();
        shownTrace = trace;
        view = trace ? traceView(el, ctx, run, trace) : listView(el, ctx, run);
      }
      view?.select(q.get('span'));
    };
    render();
    // The host may keep this tab mounted while the URL changes (a span click, back/forward).
    const unsubscribe = ctx.router.subscribe(() => render());
    return () => {
      closed = true;
      unsubscribe();
      view?.dispose();
    };
  },
};

function listView(el: HTMLElement, ctx: ShellContext, run: Run) {
  const { h } = ctx.ui;
  let filter: TraceFilter = 'all';
  let all: TraceSummary[] = [];
  el.replaceChildren(ctx.ui.loading('Loading the traces…'));
  const select = filterSelect(ctx, 'Show traces', [['all', 'All traces'], ['slow', 'Slow (slowest tenth)'], ['errors', 'With errors']], (v) => {
    filter = v;
    apply();
  });
  const table = ctx.ui.table<TraceSummary>({
    id: 'run-traces', urlState: false, rowKey: (t) => t.traceId, source: { kind: 'local', rows: [] }, pageSize: 50,
    defaultSort: { field: 'start', direction: 'asc' },
    onRowClick: (t) => ctx.router.setQuery({ trace: t.traceId, span: null }),
    empty: { title: 'No trace matches this filter', detail: 'Choose "All traces" to see every one.' },
    toolbar: [select],
    columns: [
      { id: 'name', title: 'Root span', value: (t) => t.rootName, render: (t) => h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=traces&trace=${t.traceId}`) }, t.rootName), sortable: true },
      { id: 'start', title: 'Started', value: (t) => t.start, render: (t) => when(t.start), sortable: true },
      { id: 'duration', title: 'Duration', value: (t) => t.durationMs, render: (t) => ms(t.durationMs), sortable: true, align: 'right' },
      { id: 'spans', title: 'Spans', value: (t) => t.spanCount, sortable: true, align: 'right' },
      { id: 'errors', title: 'Errors', value: (t) => t.errorCount, render: (t) => (t.errorCount ? h('span', { class: 'badge badge-danger' }, String(t.errorCount)) : '0'), sortable: true, align: 'right' },
      { id: 'services', title: 'Services', value: (t) => t.services.join(', '), hidden: true },
      { id: 'id', title: 'Trace id', value: (t) => t.traceId, render: (t) => h('span', { class: 'obs-mono' }, t.traceId), hidden: true },
    ],
  });
  const apply = () => {
    const threshold = slowThreshold(all.map((t) => t.durationMs));
    table.setRows(all.filter((t) => keeps(filter, { durationMs: t.durationMs, errors: t.errorCount }, threshold)));
  };
  let disposed = false;
  const load = () => {
    el.replaceChildren(ctx.ui.loading('Loading the traces…'));
    ctx.api.get<{ items: TraceSummary[] }>(`/runs/${encodeURIComponent(run.id)}/traces`, { query: { limit: 1000 }, silent: true }).then((res) => {
      if (disposed) return;
      all = res.items;
      if (all.length === 0) {
        el.replaceChildren(noSpans(ctx, run));
        return;
      }
      apply();
      el.replaceChildren(h('p', { class: 'obs-hint' }, `${all.length} trace${all.length === 1 ? '' : 's'} of key steps. Open one to see its spans as a waterfall.`), table.el);
    }, (error: ApiErrorLike) => {
      if (!disposed) el.replaceChildren(ctx.ui.error({ title: 'The traces could not be loaded', detail: `${error.readable ?? error.message} — check your connection and try again.`, action: { label: 'Try again', onClick: load } }));
    });
  };
  load();
  return {
    select() {},
    dispose() {
      disposed = true;
      table.destroy();
    },
  };
}

function traceView(el: HTMLElement, ctx: ShellContext, run: Run, traceId: string) {
  const { h } = ctx.ui;
  let disposed = false;
  let spans: TraceSpan[] | null = null;
  let panel: DialogHandle | null = null;
  let panelSpan: string | null = null;
  let wanted: string | null = null;
  let waterfall: ReturnType<ShellContext['ui']['traceWaterfall']> | null = null;
  const back = h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=traces`), class: 'btn btn-ghost' }, '← All traces');
  el.replaceChildren(back, ctx.ui.loading('Loading the trace…'));

  const closePanel = () => {
    const p = panel;
    panel = null;
    panelSpan = null;
    p?.close();
  };

  const showSpan = (id: string | null) => {
    wanted = id;
    if (!spans || !waterfall) return;
    waterfall.select(id);
    if (id === panelSpan) return;
    closePanel();
    const span = id ? spans.find((s) => s.spanId === id) : undefined;
    if (!span) return;
    panelSpan = id;
    const attributes = span.attributes ?? {};
    const parent = span.parentSpanId ? spans.find((s) => s.spanId === span.parentSpanId) : undefined;
    panel = ctx.ui.sidePanel({
      title: span.name,
      body: [
        h('dl', { class: 'obs-kv' },
          h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge ${span.status === 'error' ? 'badge-danger' : span.status === 'ok' ? 'badge-ok' : ''}` }, span.status)),
          h('dt', {}, 'Duration'), h('dd', {}, ms(span.end - span.start)),
          h('dt', {}, 'Started'), h('dd', {}, `${when(span.start)} (+${ms(span.start - Math.min(...spans.map((s) => s.start)))} into the trace)`),
          h('dt', {}, 'Service'), h('dd', {}, span.service),
          h('dt', {}, 'Parent'), h('dd', {}, parent ? parent.name : '— (root)'),
          h('dt', {}, 'Span id'), h('dd', { class: 'obs-mono' }, span.spanId),
          h('dt', {}, 'Trace id'), h('dd', { class: 'obs-mono' }, span.traceId),
        ),
        h('h3', { class: 'obs-hint' }, Object.keys(attributes).length ? 'Attributes' : 'No attributes: pass them as run.span("name", key=value)'),
        Object.keys(attributes).length ? ctx.ui.codeViewer(attributes, 'json') : null,
      ].filter((n): n is HTMLElement => n !== null),
      onClose: () => {
        // Closed by the reader (Esc, ×, outside click): the URL forgets the span too.
        if (panel && !disposed) {
          panel = null;
          panelSpan = null;
          ctx.router.setQuery({ span: null }, { replace: true });
        }
      },
    });
  };

  const load = () => {
    ctx.api.get<{ trace_id: string; spans: TraceSpan[] }>(`/runs/${encodeURIComponent(run.id)}/traces/${encodeURIComponent(traceId)}`, { silent: true }).then((res) => {
      if (disposed) return;
      spans = res.spans;
      const items: WaterfallSpan[] = spans.map((s) => ({ id: s.spanId, parentId: s.parentSpanId, name: s.name, service: s.service, start: s.start, end: s.end, status: s.status }));
      const threshold = slowThreshold(items.map((s) => s.end - s.start));
      const errors = items.filter((s) => s.status === 'error').length;
      const duration = Math.max(...items.map((s) => s.end)) - Math.min(...items.map((s) => s.start));
      waterfall = ctx.ui.traceWaterfall({
        spans: items,
        onSelect: (s) => ctx.router.setQuery({ span: s.id }, { replace: wanted !== null }),
      });
      const wf = waterfall;
      const select = filterSelect(ctx, 'Emphasise spans', [['all', 'All spans'], ['slow', 'Slow spans (slowest tenth)'], ['errors', 'Spans with errors']], (v) => {
        wf.setEmphasis(v === 'all' ? undefined : (s) => keeps(v, { durationMs: s.end - s.start, errors: s.status === 'error' ? 1 : 0 }, threshold));
      });
      const root = items.find((s) => !s.parentId) ?? items[0];
      el.replaceChildren(
        h('div', { class: 'obs-toolbar' }, back,
          h('strong', {}, root?.name ?? traceId),
          h('span', { class: 'obs-hint' }, `${items.length} spans · ${ms(duration)} · ${errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'no errors'} · trace ${traceId}`),
          h('span', { style: 'flex:1' }), select),
        wf.el,
        h('p', { class: 'obs-hint' }, 'Click a span (or Enter on it) to see its attributes. ↑/↓ move, ←/→ go to the parent or the first child.'),
      );
      showSpan(wanted);
    }, (error: ApiErrorLike) => {
      if (disposed) return;
      const missing = error.status === 404 || error.status === 400;
      el.replaceChildren(back, ctx.ui.error({
        title: missing ? 'This trace is not part of the run' : 'The trace could not be loaded',
        detail: missing ? `No trace ${traceId} was recorded for ${run.name}. The link may be cut short, or the run was deleted and sent again.` : `${error.readable ?? error.message} — check your connection and try again.`,
        action: missing ? { label: 'All traces of this run', onClick: () => ctx.router.setQuery({ trace: null, span: null }) } : { label: 'Try again', onClick: load },
      }));
    });
  };
  load();
  return {
    select: showSpan,
    dispose() {
      disposed = true;
      closePanel();
    },
  };
}

function filterSelect<T extends string>(ctx: ShellContext, label: string, choices: [T, string][], onChange: (value: T) => void): HTMLSelectElement {
  const select = ctx.ui.h('select', { class: 'input', 'aria-label': label }, ...choices.map(([value, text]) => ctx.ui.h('option', { value }, text)));
  select.addEventListener('change', () => onChange(select.value as T));
  return select;
}

function noSpans(ctx: ShellContext, run: Run): HTMLElement {
  const state = ctx.ui.empty({
    title: run.status === 'running' ? 'No spans yet' : 'This run logged no spans',
    detail: 'Time a key step (a training step, an eval, a checkpoint) with a span; nested spans share the trace:',
  });
  state.append(ctx.ui.h('code', { class: 'obs-snippet' }, 'with run.span("train_step", epoch=3):\n    with run.span("forward_pass"):\n        ...'));
  return state;
}
