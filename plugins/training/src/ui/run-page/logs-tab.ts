/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const logsTab: RunTab = {
  id: 'logs',
  title: 'Logs',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
