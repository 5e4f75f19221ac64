/// <reference lib="dom" />
import type { ApiErrorLike, DialogHandle, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import type { CursorPage, RunEventRecord } from './observation-types.js';
import type { RunTab } from './run-tab.js';

/** The most events one view reads (the route's page limit). */
const LIMIT = 5000;

const severityBadge = (ctx: ShellContext, s: RunEventRecord['severity']) =>
  ctx.ui.h('span', { class: `badge ${s === 'error' || s === 'critical' ? 'badge-danger' : s === 'warning' ? 'badge-warn' : ''}` }, s);

/**
 * Events: the run's events (checkpoints, evals, restarts, failures, and Kubernetes events of its pods
 * when the agent sends them) on a timeline with a lane per type, the same events as a list, both
 * filtered by type and source; an event's payload opens in a side panel.
 */
export const eventsTab: RunTab = {
  id: 'events',
  title: 'Events',
  available: true,
  mount(el, ctx, run) {
    const { h } = ctx.ui;
    let closed = false;
    let panel: DialogHandle | null = null;
    let all: RunEventRecord[] = [];
    let type = '';
    let source = '';

    const open = (event: RunEventRecord) => {
      panel?.close();
      timeline?.select(event.id);
      panel = ctx.ui.sidePanel({
        title: event.type,
        body: [
          h('dl', { class: 'obs-kv' },
            h('dt', {}, 'When'), h('dd', {}, new Date(event.ts).toLocaleString()),
            h('dt', {}, 'Source'), h('dd', {}, event.source),
            h('dt', {}, 'Severity'), h('dd', {}, severityBadge(ctx, event.severity)),
            h('dt', {}, 'Message'), h('dd', {}, event.message ?? '—'),
          ),
          ...(event.attributes && Object.keys(event.attributes).length ? [h('h3', { class: 'obs-hint' }, 'Attributes'), ctx.ui.codeViewer(event.attributes, 'json')] : []),
          h('h3', { class: 'obs-hint' }, event.payload && Object.keys(event.payload).length ? 'Payload' : 'No payload'),
          ...(event.payload && Object.keys(event.payload).length ? [ctx.ui.codeViewer(event.payload, 'json')] : []),
          h('p', {}, h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=charts&at=${event.ts}`) }, 'See this moment on the charts')),
        ],
        onClose: () => {
          panel = null;
          timeline?.select(null);
        },
      });
    };

    const typeSelect = h('select', { class: 'input', 'aria-label': 'Event type' });
    const sourceSelect = h('select', { class: 'input', 'aria-label': 'Event source' });
    typeSelect.addEventListener('change', () => {
      type = typeSelect.value;
      apply();
    });
    sourceSelect.addEventListener('change', () => {
      source = sourceSelect.value;
      apply();
    });
    const table = ctx.ui.table<RunEventRecord>({
      id: 'run-events', urlState: false, rowKey: (e) => e.id, source: { kind: 'local', rows: [] }, pageSize: 50,
      defaultSort: { field: 'ts', direction: 'asc' },
      onRowClick: open,
      empty: { title: 'No event matches these filters', detail: 'Choose "All types" and "All sources" to see every event.' },
      columns: [
        { id: 'ts', title: 'Time', value: (e) => e.ts, render: (e) => new Date(e.ts).toLocaleString(), sortable: true },
        { id: 'type', title: 'Type', value: (e) => e.type, sortable: true },
        { id: 'source', title: 'Source', value: (e) => e.source, sortable: true },
        { id: 'severity', title: 'Severity', value: (e) => e.severity, render: (e) => severityBadge(ctx, e.severity), sortable: true },
        { id: 'message', title: 'Message', value: (e) => e.message ?? '' },
      ],
    });
    let timeline: ReturnType<ShellContext['ui']['eventTimeline']> | null = null;
    const from = Date.parse(run.started_at);

    function apply() {
      const shown = all.filter((e) => (!type || e.type === type) && (!source || e.source === source));
      table.setRows(shown);
      timeline?.setEvents(shown.map((e) => ({ id: e.id, ts: e.ts, type: e.type, severity: e.severity, label: e.message ?? undefined })));
    }

    const options = (select: HTMLSelectElement, allLabel: string, values: string[], current: string) => {
      const counts = new Map<string, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      select.replaceChildren(h('option', { value: '' }, allLabel), ...[...counts].sort().map(([v, n]) => h('option', { value: v }, `${v} (${n})`)));
      select.value = counts.has(current) ? current : '';
      return select.value;
    };

    function load() {
      el.replaceChildren(ctx.ui.loading('Loading the events…'));
      ctx.api.get<CursorPage<RunEventRecord>>(`/runs/${encodeURIComponent(run.id)}/events`, { query: { limit: LIMIT }, silent: true }).then((page) => {
        if (closed) return;
        all = page.items.sort((a, b) => a.ts - b.ts);
        if (all.length === 0) {
          el.replaceChildren(noEvents(ctx, run));
          return;
        }
        type = options(typeSelect, 'All types', all.map((e) => e.type), type);
        source = options(sourceSelect, 'All sources', all.map((e) => e.source), source);
        const times = all.map((e) => e.ts);
        const to = run.ended_at ? Date.parse(run.ended_at) : Date.now();
        timeline = ctx.ui.eventTimeline({
          events: [],
          from: Math.min(Number.isFinite(from) ? from : Infinity, ...times),
          to: Math.max(Number.isFinite(to) ? to : -Infinity, ...times),
          onSelect: (t) => {
            const event = all.find((e) => e.id === t.id);
            if (event) open(event);
          },
        });
        apply();
        const k8s = all.some((e) => e.source === 'k8s');
        el.replaceChildren(h('div', { class: 'obs-split' },
          h('div', { class: 'obs-toolbar' }, typeSelect, sourceSelect,
            h('span', { class: 'obs-hint' }, `${all.length}${page.next ? '+' : ''} event${all.length === 1 ? '' : 's'} from the run's start to ${run.ended_at ? 'its end' : 'now'}${k8s ? ', Kubernetes events of its pods included' : ''}. Click a mark or a row for its payload.`)),
          timeline.el,
          table.el,
        ));
      }, (error: ApiErrorLike) => {
        if (!closed) el.replaceChildren(ctx.ui.error({ title: 'The events could not be loaded', detail: `${error.readable ?? error.message} — check your connection and try again.`, action: { label: 'Try again', onClick: load } }));
      });
    }
    load();
    return () => {
      closed = true;
      panel?.close();
      table.destroy();
    };
  },
};

function noEvents(ctx: ShellContext, run: Run): HTMLElement {
  const state = ctx.ui.empty({
    title: run.status === 'running' ? 'No events yet' : 'This run logged no events',
    detail: 'Checkpoints, evals, restarts and failures show here on a timeline. Log one with:',
  });
  state.append(ctx.ui.h('code', { class: 'obs-snippet' }, 'run.log_event("checkpoint_saved", {"path": "/ckpt/epoch-3"})'));
  return state;
}
