/// <reference lib="dom" />
import type { H } from '@oneservice/plugin-sdk/ui';
import type { Run, RunStatus } from '../api-types.js';

const STATUS_CLASS: Record<RunStatus, string> = { running: 'badge-info', finished: 'badge-ok', failed: 'badge-danger', killed: 'badge-warn' };

export function statusChip(h: H, status: RunStatus): HTMLElement {
  return h('span', { class: `badge run-status ${STATUS_CLASS[status] ?? ''}`, dataset: { status } }, status);
}

/** 3725 s → "1h 2m 5s": precise enough to tell runs apart, short enough for a header. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const hh = Math.floor((s % 86_400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (d > 0) return `${d}d ${hh}h ${mm}m`;
  if (hh > 0) return `${hh}h ${mm}m ${ss}s`;
  if (mm > 0) return `${mm}m ${ss}s`;
  return `${ss}s`;
}

/** A running run's duration grows until it ends. */
export function runDuration(run: Run, now = Date.now()): number {
  const end = run.ended_at ? Date.parse(run.ended_at) : run.status === 'running' ? now : Date.parse(run.updated_at);
  return end - Date.parse(run.started_at);
}

/** The run page's title row: name, status, project, duration (ticking while running), framework. */
export function runHeader(h: H, run: Run, backHref: string): { el: HTMLElement; dispose(): void } {
  const duration = h('span', { class: 'run-duration' }, formatDuration(runDuration(run)));
  const timer = run.status === 'running' ? setInterval(() => (duration.textContent = formatDuration(runDuration(run))), 1000) : null;
  const fact = (label: string, value: Node | string) => h('span', { class: 'run-fact' }, h('span', { class: 'muted' }, label), ' ', value);
  const el = h(
    'header',
    { class: 'run-header' },
    h('a', { class: 'run-back muted', href: backHref }, '← Runs'),
    h('div', { class: 'run-title-row' }, h('h1', { class: 'run-title' }, run.name), statusChip(h, run.status)),
    h('div', { class: 'run-facts' }, fact('Project', run.project), fact('Duration', duration), fact('Framework', run.framework ?? '—'), fact('Started', new Date(run.started_at).toLocaleString()), fact('ID', h('code', {}, run.id))),
  );
  return { el, dispose: () => timer && clearInterval(timer) };
}
