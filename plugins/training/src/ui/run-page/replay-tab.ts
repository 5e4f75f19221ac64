/// <reference lib="dom" />
import { mountReplay } from './replay/replay-view.js';
import type { RunTab } from './run-tab.js';

export const replayTab: RunTab = {
  id: 'replay',
  title: 'Replay',
  available: true,
  mount: (el, ctx, run) => mountReplay(el, ctx, run),
};
