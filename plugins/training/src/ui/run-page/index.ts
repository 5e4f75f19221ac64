/// <reference lib="dom" />
import type { ApiErrorLike, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import { runHeader } from './run-header.js';
import { subscribeRunStream } from './run-stream.js';
import { RUN_TABS } from './tabs.js';

const isNotFound = (e: unknown) => typeof e === 'object' && e !== null && (e as Partial<ApiErrorLike>).status === 404;

/**
 * `/training/runs/:id`: the run's header and its tabs; the open tab is the `tab` URL parameter so
 * every view is a link. The run is re-read when the run's stream says its status changed, and the
 * open tab is mounted again with it. Returns the cleanup for the whole page.
 */
export function mountRunPage(el: HTMLElement, ctx: ShellContext, runId: string): () => void {
  const { h } = ctx.ui;
  const tabs = RUN_TABS.filter((tab) => tab.available);
  const path = `/api/v1/runs/${encodeURIComponent(runId)}`;
  const headerSlot = h('div', { class: 'run-header-slot' });
  const panel = h('div', { role: 'tabpanel', class: 'run-tab-panel' });
  let run: Run | null = null;
  let shownTab: string | null = null;
  let cleanupTab: (() => void) | void;
  let disposeHeader = () => {};
  let closed = false;
  const cleanups: (() => void)[] = [];

  const wantedTab = () => {
    const wanted = ctx.router.location.query.get('tab');
    return (tabs.find((tab) => tab.id === wanted) ?? tabs[0])?.id ?? null;
  };
  const tabBar = ctx.ui.tabs({
    tabs: tabs.map(({ id, title }) => ({ id, title })),
    selected: wantedTab() ?? '',
    label: 'Run views',
    onSelect: (id) => ctx.router.setQuery({ tab: id }),
  });

  const mountTab = (force: boolean) => {
    if (!run) return;
    const id = wantedTab();
    if (!force && id === shownTab) return;
    shownTab = id;
    cleanupTab?.();
    cleanupTab = undefined;
    panel.replaceChildren();
    const tab = tabs.find((t) => t.id === id);
    if (!tab) {
      panel.append(ctx.ui.empty({ title: 'Nothing to show for this run yet' }));
      return;
    }
    tabBar.select(tab.id);
    panel.setAttribute('aria-labelledby', `tab-${tab.id}`);
    cleanupTab = tab.mount(panel, ctx, run);
  };

  const showHeader = (next: Run) => {
    disposeHeader();
    const header = runHeader(h, next, ctx.router.href('/training/runs'));
    disposeHeader = header.dispose;
    headerSlot.replaceChildren(header.el);
  };

  const load = () => ctx.api.get<Run>(path, { silent: true });

  load().then(
    (first) => {
      if (closed) return;
      run = first;
      ctx.setTitle(first.name);
      // A run's charts, logs and events cover the whole run, whatever the global time range.
      ctx.hideTimeRange();
      showHeader(first);
      el.replaceChildren(headerSlot, tabBar.el, panel);
      mountTab(true);
      cleanups.push(ctx.router.subscribe(() => mountTab(false)));
      cleanups.push(followStatus(ctx, runId, first.status, async () => {
        const next = await load();
        if (closed) return;
        const changed = next.status !== run?.status;
        run = next;
        showHeader(next);
        if (changed) mountTab(true);
      }));
    },
    (error: Error) => {
      if (closed) return;
      const back = { label: 'Back to runs', onClick: () => ctx.router.navigate('/training/runs') };
      ctx.setTitle(isNotFound(error) ? 'Run not found' : 'Training');
      el.replaceChildren(
        isNotFound(error)
          ? ctx.ui.empty({ title: 'Run not found', detail: `No run with id ${runId} in this tenant: it may have been deleted, or the link is for another tenant.`, action: back })
          : ctx.ui.error({ title: 'This run could not be opened', detail: error.message, action: back }),
      );
    },
  );

  return () => {
    closed = true;
    cleanupTab?.();
    disposeHeader();
    for (const c of cleanups) c();
  };
}

/** Calls back when the run stream says the status changed (the `hello` of each connect included). */
function followStatus(ctx: ShellContext, runId: string, initial: string, onChange: () => Promise<void>): () => void {
  let status = initial;
  return subscribeRunStream(ctx.api, runId, ({ event, data }) => {
    if (event !== 'hello' && event !== 'status') return;
    const next = (data as { status?: string }).status;
    if (!next || next === status) return;
    status = next;
    void onChange().catch(() => undefined);
  });
}
