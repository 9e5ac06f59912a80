import {
  ERROR_CODES,
  type ErrorClass,
  SmscApiError,
  SmscTransportError,
  SmscValidationError,
} from "@smsc-kit/core";
import { CommanderError } from "commander";
import { ConfigError } from "../config/errors.js";
import { MissingCredentialsError } from "./credentials.js";
import { RecipientsFileError } from "./recipients-csv.js";

/** Exit codes of the `smsc` command. Stable: scripts depend on them. */
export const EXIT = {
  ok: 0,
  /** A bug or an unexpected failure. */
  internal: 1,
  /** Bad flags, values, config or recipients file: nothing was sent. */
  invalidInput: 2,
  /** SMSC could not be reached: the request did not arrive, safe to retry. */
  transportNotSent: 3,
  /** The request may have reached SMSC (timeout after sending): check the status before retrying. */
  transportUnknown: 4,
  /** `send --list` finished but some messages failed (see the summary). */
  partial: 5,
  /** Interrupted by Ctrl-C or SIGTERM; `send --list` can be run again to resume. */
  interrupted: 130,
} as const;

/**
 * SMSC errors by the catalog's class. Typed as a full record, so a class added to the catalog fails the
 * build until someone gives it an exit code.
 */
export const SMSC_CLASS_EXIT: Readonly<Record<ErrorClass, number>> = {
  retryable: 10,
  rate_limited: 11,
  ip_blocked: 12,
  auth: 13,
  funds: 14,
  duplicate: 15,
  invalid_request: 16,
  invalid_recipient: 17,
  denied: 18,
  not_found: 19,
  ok: 0,
};

export function exitCodeFor(error: unknown): number {
  // A nested command line (the simulator's) reports usage errors, --help and --version this way.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
  if (error instanceof SmscValidationError) return EXIT.invalidInput;
  if (error instanceof SmscApiError) return SMSC_CLASS_EXIT[error.errorClass] ?? EXIT.internal;
  if (error instanceof SmscTransportError) {
    return error.outcome === "not_sent" ? EXIT.transportNotSent : EXIT.transportUnknown;
  }
  if (
    error instanceof ConfigError ||
    error instanceof RecipientsFileError ||
    error instanceof MissingCredentialsError
  ) {
    return EXIT.invalidInput;
  }
  return EXIT.internal;
}

/** SMSC error codes per class, read from the catalog, e.g. `send 2; status 2; balance 2`. */
function codesOfClass(errorClass: ErrorClass): string {
  const parts: string[] = [];
  for (const [method, table] of Object.entries(ERROR_CODES)) {
    const codes = Object.values(table as Record<string, { code: number; class: string }>)
      .filter((entry) => entry.class === errorClass)
      .map((entry) => entry.code);
    if (codes.length > 0) parts.push(`${method} ${codes.join(",")}`);
  }
  return parts.join("; ");
}

/** The exit-code table printed by `--help`. */
export function exitCodeHelp(): string {
  const lines = [
    "Exit codes:",
    `  ${EXIT.ok}    success`,
    `  ${EXIT.internal}    unexpected failure`,
    `  ${EXIT.invalidInput}    invalid input (flags, values, config, recipients file); nothing was sent`,
    `  ${EXIT.transportNotSent}    SMSC unreachable; the request was not delivered, safe to retry`,
    `  ${EXIT.transportUnknown}    outcome unknown (e.g. timeout after sending); check the status before retrying`,
    `  ${EXIT.partial}    send --list finished with some messages failed`,
    `  ${EXIT.interrupted}  interrupted; run send --list again to resume without duplicates`,
    "  SMSC errors, by the catalog's class (SMSC codes per method):",
  ];
  for (const [errorClass, code] of Object.entries(SMSC_CLASS_EXIT) as [ErrorClass, number][]) {
    if (errorClass === "ok") continue;
    const codes = codesOfClass(errorClass);
    lines.push(`  ${String(code).padEnd(4)} ${errorClass}${codes ? ` (${codes})` : ""}`);
  }
  return lines.join("\n");
}
