/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Page, Run } from './api-types.js';

const cell = (text: string) => Object.assign(document.createElement('td'), { textContent: text });
const fmt = (v: number | string | null | undefined) => (typeof v === 'number' ? v.toPrecision(4) : v ?? '—');

/** A plain table of runs; a tick box per run feeds the Compare tab, which lists each run's loss range. */
export async function renderRuns(el: HTMLElement, ctx: ShellContext, selected: Set<string>): Promise<void> {
  const page = await ctx.api.get<Page<Run>>('/api/v1/runs?page_size=100&sort=-created_at');
  const table = document.createElement('table');
  table.className = 'os-table';
  table.innerHTML = '<thead><tr><th></th><th>Run</th><th>Project</th><th>Status</th><th>loss</th><th>accuracy</th><th>Created</th></tr></thead>';
  const body = table.createTBody();
  for (const run of page.items) {
    const row = body.insertRow();
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: selected.has(run.id) });
    box.addEventListener('change', () => (box.checked ? selected.add(run.id) : selected.delete(run.id)));
    const tick = document.createElement('td');
    tick.append(box);
    const metric = (name: string) => fmt(run.metrics.find((m) => m.name === name)?.last);
    const name = document.createElement('td');
    name.append(Object.assign(document.createElement('a'), { href: ctx.router.href(`/training/runs/${run.id}`), textContent: run.name }));
    row.append(tick, name, cell(run.project), cell(run.status), cell(metric('loss')), cell(metric('accuracy')), cell(new Date(run.created_at).toLocaleString()));
  }
  el.replaceChildren(Object.assign(document.createElement('p'), { textContent: `${page.total} runs` }), table);
}
