export { describeEventsContract } from './events.js';
export { describeLogsContract } from './logs.js';
export type { ContractFixture, MakeFixture } from './fixture.js';
