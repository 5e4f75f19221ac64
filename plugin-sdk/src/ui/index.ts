// Browser-side contract between the OneService shell and plugin pages. Types only: a plugin page
// bundles none of the shell; it receives everything through `ShellContext` at mount time.
export type * from './api-client.js';
export type * from './router.js';
export type * from './search.js';
export type * from './session.js';
export type * from './shell-context.js';
export type * from './time-range.js';
export type * from './ui-kit.js';
