/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';

/**
 * One tab of the run page. The page host (run-page/index.ts) owns the header, the tab bar and the
 * `tab` URL parameter; a tab owns only its element and returns a cleanup (SSE, charts, timers).
 * A tab whose `available` is false is not shown at all — never a placeholder in front of users.
 */
export interface RunTab {
  id: string;
  title: string;
  available: boolean;
  /** `run` is re-read by the host when the run's status changes; `el` is empty on each mount. */
  mount(el: HTMLElement, ctx: ShellContext, run: Run): (() => void) | void;
}
