import { type DestinationStream, type Logger, pino } from "pino";

/**
 * Paths pino censors wherever they appear (top level and up to six levels deep, array elements included),
 * so a config object, a request or an error logged by accident never prints a password or key. Six levels
 * reach the smarthost password even inside a logged config: `config.smtp.dsn.transport.auth.pass`.
 */
const SECRET_KEYS = ["psw", "password", "apikey", "secret", "pass", "authorization", "cookie"];
const MAX_DEPTH = 6;
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) =>
  Array.from({ length: MAX_DEPTH }, (_, depth) => [...Array<string>(depth).fill("*"), key].join(".")),
);

export interface CreateLoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? "smsc-gateway",
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}

export type { Logger };
