export { describeEventsContract } from './events.js';
export { describeLogsContract, type HeldWrite, type LogsContractFixture } from './logs.js';
export { describeObjectsContract } from './objects.js';
export { describeTracesContract } from './traces.js';
export type { ContractFixture, MakeFixture } from './fixture.js';
export { describeProviderPlugin, type ProviderPluginExpectation } from './provider-plugin.js';
