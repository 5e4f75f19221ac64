/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Page, Run } from './api-types.js';

export async function renderModelViz(el: HTMLElement, ctx: ShellContext): Promise<void> {
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
