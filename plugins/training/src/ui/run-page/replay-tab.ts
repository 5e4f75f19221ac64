/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const replayTab: RunTab = {
  id: 'replay',
  title: 'Replay',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
