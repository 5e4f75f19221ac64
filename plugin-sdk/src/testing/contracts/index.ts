export { describeEventsContract, type EventsContractFixture } from './events.js';
export { describeFollowContract, type FollowFixture, type FollowSubject, type FollowablePort, type HeldWrite } from './follow.js';
export { describeLogsContract, type LogsContractFixture } from './logs.js';
export { describeObjectsContract } from './objects.js';
export { describeRunMetricsContract } from './run-metrics.js';
export { describeTracesContract } from './traces.js';
export type { ContractFixture, MakeFixture } from './fixture.js';
export { describeProviderPlugin, type ProviderPluginExpectation } from './provider-plugin.js';
