// @smsc-kit/gateway: the gateway process as a library (the `smsc` executable is dist/cli.js).
export { runCli } from "./cli/program.js";
export { ENV_PREFIX } from "./config/env.js";
export { ConfigError, type ConfigProblem } from "./config/errors.js";
export { type LoadConfigOptions, loadConfig, validateConfig } from "./config/load.js";
export { type GatewayConfig, type GatewayConfigInput, gatewayConfigSchema } from "./config/schema.js";
export { credentialsOf, type RunningGateway, startGateway } from "./gateway.js";
export { type CreateLoggerOptions, createLogger, type Logger } from "./logging.js";
