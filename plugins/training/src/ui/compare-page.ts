/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';

const fmt = (v: number | string | null | undefined) => (typeof v === 'number' ? v.toPrecision(4) : v ?? '—');

export async function renderCompare(el: HTMLElement, ctx: ShellContext, selected: Set<string>): Promise<void> {
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
