import { artifactsTab } from './artifacts-tab.js';
import { chartsTab } from './charts-tab.js';
import { eventsTab } from './events-tab.js';
import { logsTab } from './logs-tab.js';
import { overviewTab } from './overview-tab.js';
import { replayTab } from './replay-tab.js';
import { tracesTab } from './traces-tab.js';
import type { RunTab } from './run-tab.js';

/** The run page's tabs in their order; each lives in its own file. */
export const RUN_TABS: readonly RunTab[] = [overviewTab, chartsTab, logsTab, tracesTab, eventsTab, artifactsTab, replayTab];
