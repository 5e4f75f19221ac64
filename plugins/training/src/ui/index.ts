/// <reference lib="dom" />
import type { PageModule, ShellContext } from '@oneservice/plugin-sdk/ui';
import { renderCompare } from './compare-page.js';
import { renderModelViz } from './model-viz-page.js';
import { mountRunPage } from './run-page/index.js';
import { mountRuns } from './runs-page.js';
import { trainingSearchProviders } from './runs/runs-search.js';

const RUN_PATH = /^\/training\/runs\/([^/]+)\/?$/;

/** Which view a path opens; the run page is its own view so its tabs survive filter changes elsewhere. */
function viewOf(path: string): string {
  if (path.startsWith('/model-viz')) return 'model-viz';
  if (path.startsWith('/training/compare')) return 'compare';
  const run = RUN_PATH.exec(path);
  return run ? `run:${decodeURIComponent(run[1]!)}` : 'runs';
}

let stop: (() => void) | null = null;
const page: PageModule = {
  mount(el, ctx: ShellContext) {
    const selected = new Set<string>();
    let view = '';
    let cleanupView: (() => void) | null = null;
    const show = (path: string) => {
      const next = viewOf(path);
      // Query changes inside one view (a tab, a filter) are the view's own business.
      if (next === view) return;
      view = next;
      cleanupView?.();
      cleanupView = null;
      el.replaceChildren();
      if (next.startsWith('run:')) {
        cleanupView = mountRunPage(el, ctx, next.slice(4));
        return;
      }
      if (next === 'runs') {
        cleanupView = mountRuns(el, ctx, selected);
        return;
      }
      ctx.setTitle(next === 'model-viz' ? 'Model Viz' : 'Training');
      const work = next === 'model-viz' ? renderModelViz(el, ctx) : renderCompare(el, ctx, selected);
      work.catch((error: Error) => el.replaceChildren(ctx.ui.error({ title: 'This page could not be loaded', detail: error.message })));
    };
    show(ctx.router.location.path);
    const unsubscribe = ctx.router.subscribe((route) => show(route.path));
    stop = () => {
      unsubscribe();
      cleanupView?.();
    };
  },
  unmount() {
    stop?.();
    stop = null;
  },
  searchProviders: trainingSearchProviders,
};
export default page;
export const { mount, unmount, searchProviders } = page;
