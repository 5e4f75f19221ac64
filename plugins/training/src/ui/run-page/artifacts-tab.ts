/// <reference lib="dom" />
import type { RunTab } from './run-tab.js';

export const artifactsTab: RunTab = {
  id: 'artifacts',
  title: 'Artifacts',
  // Not built yet: the host hides it.
  available: false,
  mount() {},
};
