export { startSandboxTwilio, type SandboxTwilio, type SandboxTwilioOptions, type TwilioFault } from './server.js';
export type { LineScript, InboundCallSpec, SandboxTwilioScenario } from './scenario.js';
