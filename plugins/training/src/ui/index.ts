/// <reference lib="dom" />
import type { PageModule, ShellContext } from '@oneservice/plugin-sdk/ui';

interface Summary { name: string; last: number | string; min: number | string; max: number | string }
interface Run { id: string; name: string; project: string; status: string; created_at: string; metrics: Summary[] }
interface Page<T> { items: T[]; total: number }

const cell = (text: string) => Object.assign(document.createElement('td'), { textContent: text });
const fmt = (v: number | string | undefined) => (typeof v === 'number' ? v.toPrecision(4) : v ?? '—');

/** A plain table of runs; a tick box per run feeds the Compare tab, which lists each run's loss range. */
async function renderRuns(el: HTMLElement, ctx: ShellContext, selected: Set<string>): Promise<void> {
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
    row.append(tick, cell(run.name), cell(run.project), cell(run.status), cell(metric('loss')), cell(metric('accuracy')), cell(new Date(run.created_at).toLocaleString()));
  }
  el.replaceChildren(Object.assign(document.createElement('p'), { textContent: `${page.total} runs` }), table);
}

async function renderCompare(el: HTMLElement, ctx: ShellContext, selected: Set<string>): Promise<void> {
  if (selected.size < 2) {
    el.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Tick two or more runs under Runs to compare them.' }));
    return;
  }
  const answer = await ctx.api.get<{ runs: { id: string; name: string }[]; series: { buckets: { min: number; max: number; last: number }[] }[] }>(
    `/api/v1/runs/compare?ids=${[...selected].join(',')}&name=loss&points=200`,
  );
  const list = document.createElement('ul');
  answer.runs.forEach((run, i) => {
    const buckets = answer.series[i]?.buckets ?? [];
    const max = Math.max(...buckets.map((b) => (typeof b.max === 'number' ? b.max : -Infinity)));
    list.append(Object.assign(document.createElement('li'), { textContent: `${run.name}: last loss ${fmt(buckets.at(-1)?.last)}, peak ${fmt(max)}` }));
  });
  el.replaceChildren(list);
}

async function renderModelViz(el: HTMLElement, ctx: ShellContext): Promise<void> {
  const page = await ctx.api.get<Page<Run>>('/api/v1/runs?page_size=50');
  const list = document.createElement('ul');
  for (const run of page.items) {
    const item = Object.assign(document.createElement('li'), { textContent: `${run.name}: ` });
    try {
      const graph = await ctx.api.get<{ url: string; path: string }>(`/api/v1/runs/${run.id}/model-graph`);
      item.append(Object.assign(document.createElement('a'), { href: graph.url, textContent: `${graph.path} (open in Netron)` }));
    } catch {
      item.append('no model file');
    }
    list.append(item);
  }
  el.replaceChildren(list);
}

let stop: (() => void) | null = null;
const page: PageModule = {
  mount(el, ctx) {
    const selected = new Set<string>();
    const show = (path: string) => {
      ctx.setTitle(path.startsWith('/model-viz') ? 'Model Viz' : 'Training');
      const work = path.startsWith('/model-viz') ? renderModelViz(el, ctx) : path.startsWith('/training/compare') ? renderCompare(el, ctx, selected) : renderRuns(el, ctx, selected);
      work.catch((error: Error) => el.replaceChildren(Object.assign(document.createElement('p'), { textContent: error.message })));
    };
    show(ctx.router.location.path);
    stop = ctx.router.subscribe((route) => show(route.path));
  },
  unmount() {
    stop?.();
    stop = null;
  },
};
export default page;
export const { mount, unmount } = page;
