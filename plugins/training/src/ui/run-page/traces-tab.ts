/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const tracesTab: RunTab = {
  id: 'traces',
  title: 'Traces',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
