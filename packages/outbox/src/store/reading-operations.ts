/**
 * Each SMSC login's last reading of a polled figure (the balance), written once for both stores like
 * ./operations.ts: one process reads SMSC within the shared polling window, every process shows what it read.
 */
import type { Operation } from "./operations.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type { StoredReading } from "./store.js";

export function* readReading(login: string, kind: string): Operation<StoredReading | null> {
  const [row] = (yield bind(statements.readReading, { login, kind })).rows;
  return row === undefined ? null : { value: String(row.value), at: Number(row.read_at) };
}

export function* saveReading(login: string, kind: string, value: string, at: number): Operation<void> {
  yield bind(statements.saveReading, { login, kind, value, at });
}
