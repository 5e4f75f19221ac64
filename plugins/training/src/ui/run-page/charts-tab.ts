/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const chartsTab: RunTab = {
  id: 'charts',
  title: 'Charts',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
