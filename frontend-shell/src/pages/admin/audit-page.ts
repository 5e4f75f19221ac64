import type { PageOf, ShellContext } from '@oneservice/plugin-sdk/ui';
import { formatDateTime, h } from '../../ui/dom.js';
import { pageHeader } from '../page-parts.js';

interface AuditRow {
  id: string;
  at: string;
  actor_email: string | null;
  action: string;
  resource: string;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  details: unknown;
}

const FILTERS = ['actor', 'action', 'resource', 'outcome'];

/**
 * The audit log of the acting tenant, newest first unless the user flips the time column (the API
 * sorts by time only: `sort=at|-at`), filtered by actor, action (a trailing * matches a prefix),
 * resource, outcome and the global time range.
 */
let stopTimeRange: (() => void) | null = null;

export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  const filters = ui.filterBar({
    fields: [
      { id: 'actor', label: 'Actor', kind: 'text', placeholder: 'email' },
      { id: 'action', label: 'Action', kind: 'text', placeholder: 'auth.login or user.*' },
      { id: 'resource', label: 'Resource', kind: 'text', placeholder: 'e.g. user' },
      { id: 'outcome', label: 'Outcome', kind: 'select', options: [{ value: 'success', label: 'Success' }, { value: 'failure', label: 'Failure' }] },
    ],
    onChange: () => undefined, // the table follows the URL (filterKeys)
  });
  const table = ui.table<AuditRow>({
    id: 'audit',
    filterKeys: FILTERS,
    rowKey: (r) => r.id,
    defaultSort: { field: 'at', direction: 'desc' },
    onRowClick: (r) => show(r),
    columns: [
      { id: 'at', title: 'Time', sortable: true, value: (r) => formatDateTime(r.at), width: '160px' },
      { id: 'actor_email', title: 'Actor', value: (r) => r.actor_email ?? 'system' },
      { id: 'action', title: 'Action', render: (r) => h('code', {}, r.action) },
      { id: 'resource', title: 'Resource', value: (r) => (r.resource_id ? `${r.resource} ${r.resource_id}` : r.resource) },
      { id: 'outcome', title: 'Outcome', render: (r) => h('span', { class: `badge ${r.outcome === 'success' ? 'badge-ok' : 'badge-danger'}` }, r.outcome) },
      { id: 'ip', title: 'IP', value: (r) => r.ip ?? '—' },
    ],
    source: {
      kind: 'server',
      fetch: (q, signal) => {
        const { start, end } = ctx.timeRange.resolve();
        return api.get<PageOf<AuditRow>>('/audit', { query: { ...ui.listQuery(q), from: start.toISOString(), to: end.toISOString() }, signal, silent: true });
      },
    },
    empty: { title: 'No audit entries', detail: 'Nothing matches these filters in the chosen time range.' },
  });
  el.append(pageHeader('Audit log'), filters.el, table.el);

  function show(r: AuditRow) {
    ui.sidePanel({ title: `${r.action} · ${formatDateTime(r.at)}`, size: 'large', body: ui.codeViewer(r, 'json'), actions: [{ label: 'Close' }] });
  }

  // A new time range (or an auto-refresh tick) means new rows.
  stopTimeRange = ctx.timeRange.subscribe(() => void table.reload());
}

export function unmount(): void {
  stopTimeRange?.();
  stopTimeRange = null;
}
