/// <reference lib="dom" />
import type { LogLine, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { LiveMetrics, MetricSummary, Run, RunEventRecord, RunLogRecord } from '../api-types.js';
import { isSystemMetric } from './charts/series-frame.js';
import { groupTags, isHash, textOf } from './overview/run-facts.js';
import { formatDuration, runDuration, statusChip } from './run-header.js';
import type { RunTab } from './run-tab.js';
import { subscribeRunStream } from './run-stream.js';
import { RUN_TABS } from './tabs.js';

const LATEST_LOGS = 8;
const LATEST_EVENTS = 6;

export const overviewTab: RunTab = {
  id: 'overview',
  title: 'Overview',
  available: true,
  mount(el, ctx, run) {
    return mountOverview(el, ctx, run);
  },
};

type Wire = MetricSummary['last'];
/** Summary values keep NaN/±Infinity as their names; numbers are numbers. */
const numberOf = (v: Wire): number | string | null => v;

/** Four significant digits, exponent for the very small and very large: a card is not a table. */
function fmt(v: Wire): string {
  if (v === null) return '—';
  if (typeof v !== 'number') return v;
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

function mountOverview(el: HTMLElement, ctx: ShellContext, run: Run): () => void {
  const { ui } = ctx;
  const { h } = ui;
  const base = `/api/v1/runs/${encodeURIComponent(run.id)}`;
  const links = (id: string, label: string): HTMLElement[] =>
    RUN_TABS.some((t) => t.id === id && t.available)
      ? [h('a', { class: 'run-card-link', href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=${id}`), onclick: (ev: MouseEvent) => {
          ev.preventDefault();
          ctx.router.setQuery({ tab: id });
        } }, label)]
      : [];
  const kv = (entries: [string, Node | string][]) => h('dl', { class: 'run-kv' }, entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const valueNode = (key: string, value: string): Node | string => (isHash(key, value) && value.length > 16 ? h('code', { title: value }, `${value.slice(0, 12)}…`) : value);

  // ——— status ———
  const duration = h('span', {}, formatDuration(runDuration(run)));
  const timer = run.status === 'running' ? setInterval(() => (duration.textContent = formatDuration(runDuration(run))), 1000) : null;
  const facts: [string, Node | string][] = [
    ['Status', statusChip(h, run.status)],
    ['Duration', duration],
    ['Started', new Date(run.started_at).toLocaleString()],
    ['Ended', run.ended_at ? new Date(run.ended_at).toLocaleString() : run.status === 'running' ? 'still running' : '—'],
    ['Project', run.project],
    ['Framework', run.framework ?? '—'],
    ['Client run id', h('code', {}, run.client_run_id)],
  ];
  if (run.notes) facts.push(['Notes', run.notes]);
  const statusCard = ui.card({ title: 'Run', span: 4, body: kv(facts) });

  // ——— summary metrics as stat cards ———
  const metrics = [...run.metrics].sort((a, b) => a.name.localeCompare(b.name));
  const statByName = new Map<string, ReturnType<typeof ui.stat>>();
  const stats = metrics.map((m) => {
    const s = ui.stat({ label: m.name, value: numberOf(m.last), format: (v) => fmt(v) });
    statByName.set(m.name, s);
    s.el.title = m.name;
    s.el.append(h('div', { class: 'stat-detail' }, `min ${fmt(m.min)} · max ${fmt(m.max)}${m.last_step !== null ? ` · step ${m.last_step}` : ''}`));
    return s.el;
  });
  const metricsCard = ui.card({
    title: 'Summary metrics', subtitle: metrics.length ? `last value of each of ${metrics.length} metrics` : undefined, span: 8,
    actions: links('charts', 'All charts →'),
    body: stats.length ? h('div', { class: 'stat-grid' }, stats) : ui.empty({ title: 'No metrics yet' }),
  });

  // ——— params and tags ———
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b));
  const paramsCard = ui.card({ title: 'Parameters', span: 4, body: params.length ? kv(params.map(([k, v]) => [k, textOf(v)])) : ui.empty({ title: 'No parameters logged' }) });
  const tags = groupTags(run.tags);
  const tagsBody: Node[] = [];
  if (tags.other.length) tagsBody.push(h('div', { class: 'run-tag-list run-kv-group' }, tags.other.map(([k, v]) => h('span', { class: 'run-tag' }, h('span', { class: 'muted' }, `${k}:`), v))));
  for (const g of tags.provenance) tagsBody.push(h('div', { class: 'run-kv-group' }, h('h3', {}, g.title), kv(g.entries.map(([k, v]) => [k, valueNode(k, v)]))));
  const tagsCard = ui.card({ title: 'Tags and provenance', span: 4, body: tagsBody.length ? tagsBody : ui.empty({ title: 'No tags' }) });

  // ——— system: the run's system tags and the SDK sampler's latest figures ———
  const sysMetrics = metrics.filter((m) => isSystemMetric(m.name));
  const gib = (v: Wire) => (typeof v === 'number' ? `${(v / 2 ** 30).toFixed(1)} GiB` : fmt(v));
  const gpus = new Set(sysMetrics.map((m) => /^system\/gpu(\d+)\//.exec(m.name)?.[1]).filter(Boolean));
  const sysEntries: [string, Node | string][] = [['Framework', run.framework ?? '—'], ...tags.system.map(([k, v]): [string, Node | string] => [k, valueNode(k, v)])];
  if (gpus.size) sysEntries.push(['GPUs', String(gpus.size)]);
  // Totals and utilisation say what the machine was; the Charts tab has the curves.
  for (const m of sysMetrics.filter((x) => !/(memory_used_bytes|process_rss_bytes)$/.test(x.name)).slice(0, 12)) {
    sysEntries.push([m.name.replace(/^system\//, ''), /bytes$/.test(m.name) ? gib(m.last) : fmt(m.last)]);
  }
  const systemBody: Node[] = [kv(sysEntries)];
  if (!sysMetrics.length) systemBody.push(h('p', { class: 'muted run-card-note' }, 'No system metrics were sent: the SDK samples CPU, memory and GPUs while system metrics are on.'));
  const systemCard = ui.card({ title: 'System', span: 4, body: systemBody });

  // ——— latest logs and events ———
  const logsCard = ui.card({ title: 'Latest logs', span: 6, actions: links('logs', 'All logs →'), body: ui.loading('Loading logs…') });
  const eventsCard = ui.card({ title: 'Latest events', span: 6, actions: links('events', 'All events →'), body: ui.loading('Loading events…') });

  el.replaceChildren(h('div', { class: 'run-overview' }, ui.grid(statusCard, metricsCard, paramsCard, tagsCard, systemCard, logsCard, eventsCard)));

  let closed = false;
  ctx.api.get<{ items: RunLogRecord[] }>(`${base}/logs`, { silent: true, query: { limit: LATEST_LOGS } }).then(
    (page) => {
      if (closed) return;
      if (page.items.length === 0) return logsCard.setBody(ui.empty({ title: 'No logs yet' }));
      const viewer = ui.logViewer({ height: 210 });
      // The API answers newest first; a log reads oldest first.
      viewer.append([...page.items].reverse().map((r): LogLine => ({ ts: r.ts, level: r.level, message: r.message, source: r.stream ?? undefined, fields: r.fields })));
      logsCard.setBody(viewer.el);
    },
    (e: Error) => !closed && logsCard.setBody(ui.error({ title: 'Logs could not be loaded', detail: e.message })),
  );
  ctx.api.get<{ items: RunEventRecord[] }>(`${base}/events`, { silent: true, query: { limit: LATEST_EVENTS } }).then(
    (page) => {
      if (closed) return;
      if (page.items.length === 0) return eventsCard.setBody(ui.empty({ title: 'No events yet' }));
      const severity = (s: string) => (s === 'error' || s === 'critical' ? 'badge-danger' : s === 'warning' ? 'badge-warn' : '');
      eventsCard.setBody(h('ol', { class: 'run-event-list' }, page.items.map((e) => h('li', {}, h('span', { class: 'run-event-time' }, new Date(e.ts).toLocaleString()), h('span', {}, h('span', { class: `badge ${severity(e.severity)}` }, e.type), ' ', e.message ?? '')))));
    },
    (e: Error) => !closed && eventsCard.setBody(ui.error({ title: 'Events could not be loaded', detail: e.message })),
  );
  // While the run runs, the stat cards follow the newest value of each metric (the run stream's points).
  const unsubscribe = run.status === 'running'
    ? subscribeRunStream(ctx.api, run.id, ({ event, data }) => {
        if (event !== 'metrics') return;
        for (const p of (data as LiveMetrics).points) statByName.get(p.name)?.update(p.value);
      })
    : () => {};
  return () => {
    closed = true;
    unsubscribe();
    if (timer) clearInterval(timer);
  };
}
