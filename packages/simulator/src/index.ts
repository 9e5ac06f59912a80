export type { AccountConfig, CallbackTarget } from "./accounts.js";
export { DEFAULT_ACCOUNT } from "./accounts.js";
export { type CallbackAttempt, type CallbackOptions, signCallback } from "./callbacks.js";
export { type CliIo, runSimulatorCli } from "./cli-main.js";
export { type ClockOptions, SimClock } from "./clock.js";
export { ConfigFileError, loadSimulatorConfig, parseSimulatorConfig } from "./config.js";
export type { CounterSnapshot } from "./counters.js";
export { FAULT_HEADER, type FaultMatch, type FaultRule, FaultRuleError } from "./faults.js";
export { INSPECTOR_PREFIX } from "./inspector-http.js";
export { type LatencyProfile, LatencyProfileError, parseLatencySpec } from "./latency.js";
export type { LifecycleOptions } from "./lifecycle.js";
export type { SimMessage, StatusChange } from "./messages.js";
export type { PhoneRule } from "./phone-rules.js";
export type { RateRuleSwitches } from "./rate-rules.js";
export { DEFAULT_TIMEOUTS, type ServerTimeouts } from "./server.js";
export {
  type MessageView,
  type RunningSimulator,
  SimulatorConfigError,
  type SimulatorInspector,
  type SimulatorOptions,
  type SimulatorRules,
  startSimulator,
} from "./simulator.js";
