/**
 * The logger the client accepts: the pino signature `(fields, message)`, every level optional, so a
 * pino logger, a console wrapper or a test spy fits. The client only ever logs method, operation,
 * host, attempt, duration and error codes: never request fields, bodies or credentials.
 */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface Logger {
  debug?: LogFn;
  info?: LogFn;
  warn?: LogFn;
  error?: LogFn;
}
