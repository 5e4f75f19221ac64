/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import { RUN_TABS } from './tabs.js';

/**
 * `/training/runs/:id`: the run's header and its tabs; the open tab is the `tab` URL parameter so
 * every view is a link. Returns the cleanup for the whole page.
 */
export function mountRunPage(el: HTMLElement, ctx: ShellContext, runId: string): () => void {
  const { h } = ctx.ui;
  const tabs = RUN_TABS.filter((tab) => tab.available);
  const body = h('div', { class: 'os-run-page-body' });
  let cleanupTab: (() => void) | void;
  let closed = false;
  el.replaceChildren(ctx.ui.loading('Loading the run…'));

  const show = (run: Run) => {
    const wanted = ctx.router.location.query.get('tab');
    const current = tabs.find((tab) => tab.id === wanted) ?? tabs[0];
    cleanupTab?.();
    cleanupTab = undefined;
    body.replaceChildren();
    if (!current) {
      body.append(ctx.ui.empty({ title: 'Nothing to show for this run yet' }));
      return;
    }
    const bar = h('div', { class: 'os-tabs', role: 'tablist' },
      tabs.map((tab) => h('button', {
        class: 'os-tab', role: 'tab', 'aria-selected': String(tab === current), type: 'button',
        onclick: () => ctx.router.setQuery({ tab: tab.id }),
      }, tab.title)),
    );
    const panel = h('div', { role: 'tabpanel' });
    body.append(bar, panel);
    cleanupTab = current.mount(panel, ctx, run);
  };

  ctx.api.get<Run>(`/api/v1/runs/${encodeURIComponent(runId)}`).then((run) => {
    if (closed) return;
    ctx.setTitle(run.name);
    el.replaceChildren(h('h2', { class: 'os-page-title' }, run.name), body);
    show(run);
    const stop = ctx.router.subscribe(() => show(run));
    const previous = cleanup;
    cleanup = () => {
      stop();
      previous();
    };
  }, (error: Error) => {
    if (closed) return;
    el.replaceChildren(ctx.ui.error({ title: 'This run could not be opened', detail: error.message, action: { label: 'Back to runs', onClick: () => ctx.router.navigate('/training/runs') } }));
  });

  let cleanup = () => {
    closed = true;
    cleanupTab?.();
  };
  return () => cleanup();
}
