/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const overviewTab: RunTab = {
  id: 'overview',
  title: 'Overview',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
