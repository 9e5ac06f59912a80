/**
 * The operations of each SMSC login's shared pause and IP-block state (../budget/shared-holds.ts), written once
 * for both stores like ./operations.ts; each is one statement.
 */
import { isOutcomeClass } from "../protocol.js";
import type { Operation } from "./operations.js";
import type { DbRow } from "./row-mapping.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type { LoginHold, RowError } from "./store.js";

function toRowError(text: unknown): RowError | null {
  if (typeof text !== "string") return null;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) return null;
  const { code, errorClass, message } = parsed as Record<string, unknown>;
  return {
    code: typeof code === "number" ? code : null,
    errorClass: isOutcomeClass(errorClass) ? errorClass : null,
    message: typeof message === "string" ? message : "",
  };
}

function toLoginHold(row: DbRow | undefined): LoginHold {
  const reason = row?.paused_reason;
  return {
    pausedReason: reason === "funds" || reason === "auth" ? reason : null,
    pausedSince: row?.paused_since == null ? null : Number(row.paused_since),
    pausedError: toRowError(row?.paused_error),
    blockedUntil: row ? Number(row.blocked_until) : 0,
    blockedError: toRowError(row?.blocked_error),
  };
}

export function* readHold(login: string): Operation<LoginHold> {
  return toLoginHold((yield bind(statements.readHold, login)).rows[0]);
}

export function* pauseLogin(
  login: string,
  reason: "funds" | "auth",
  since: number,
  error: RowError,
): Operation<boolean> {
  const input = { login, reason, since, error: JSON.stringify(error) };
  return (yield bind(statements.pauseLogin, input)).rows.length === 1;
}

export function* resumeLogin(login: string, since: number): Operation<boolean> {
  return (yield bind(statements.resumeLogin, { login, since })).count === 1;
}

export function* blockLogin(login: string, until: number, error: RowError): Operation<void> {
  yield bind(statements.blockLogin, { login, until, error: JSON.stringify(error) });
}

export function* takeProbe(
  login: string,
  owner: string,
  leaseUntil: number,
  now: number,
): Operation<boolean> {
  return (yield bind(statements.takeProbe, { login, owner, leaseUntil, now })).rows.length === 1;
}
