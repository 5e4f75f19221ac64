/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const eventsTab: RunTab = {
  id: 'events',
  title: 'Events',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
