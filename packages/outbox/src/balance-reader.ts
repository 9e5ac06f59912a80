/**
 * The balance as a dashboard shows it, within SMSC's balance-polling rule for the login (spec/catalog.yaml
 * `balance-polling`), counted across every process on the store: a reading younger than `freshMs` is shown as
 * stored; an older one is refreshed by a get_balance only when the login's shared window admits the call, and
 * what it read is stored for every other process. However many processes and dashboards there are, at most the
 * catalog's number of get_balance calls per window reach SMSC from here.
 */
import { SmscApiError } from "@smsc-kit/core";
import type { RequestBudget } from "./budget/request-budget.js";
import type { SharedWindow } from "./budget/shared-window.js";
import type { OutboxClient } from "./delivery-context.js";
import type { OutboxStore } from "./store/store.js";

export type BalanceReading =
  | { kind: "ok"; balance: number; currency?: string | undefined; at: number }
  | { kind: "unavailable"; reason: string; at: number };

export interface BalanceReaderOptions {
  store: OutboxStore;
  client: OutboxClient;
  login: string;
  /** The login's balance-polling window, shared through the store. */
  window: SharedWindow;
  requests: RequestBudget;
  now(): number;
  /** A stored reading younger than this is shown without asking SMSC. */
  freshMs: number;
  migrated(): Promise<void>;
}

const KIND = "balance";

function parseReading(value: string): BalanceReading | null {
  try {
    const reading: unknown = JSON.parse(value);
    if (typeof reading !== "object" || reading === null || !("kind" in reading) || !("at" in reading))
      return null;
    return reading as BalanceReading;
  } catch {
    return null;
  }
}

async function ask(client: OutboxClient, requests: RequestBudget, at: number): Promise<BalanceReading> {
  try {
    const answer = await requests.run(() => client.balance());
    if (typeof answer.balance !== "number")
      return { kind: "unavailable", reason: "get_balance answered without a balance", at };
    // get_balance answers carry the currency where the account has one; the catalog's result does not name it.
    const currency =
      "currency" in answer && typeof answer.currency === "string" ? answer.currency : undefined;
    return { kind: "ok", balance: answer.balance, currency, at };
  } catch (err) {
    const reason =
      err instanceof SmscApiError
        ? `SMSC error ${err.code}`
        : err instanceof Error
          ? err.message
          : String(err);
    return { kind: "unavailable", reason, at };
  }
}

/** `read()`: the login's balance reading; concurrent readers in one process share one store round and call. */
export function createBalanceReader(options: BalanceReaderOptions): { read(): Promise<BalanceReading> } {
  const { store, client, login, window, requests, now, freshMs, migrated } = options;
  let pending: Promise<BalanceReading> | undefined;
  async function read(): Promise<BalanceReading> {
    await migrated();
    const stored = await store.readReading(login, KIND);
    const last = stored === null ? null : parseReading(stored.value);
    const at = now();
    if (last !== null && at - last.at < freshMs) return last;
    if (!(await window.tryTake(KIND, at))) {
      return last ?? { kind: "unavailable", reason: "balance-polling limit reached; no reading yet", at };
    }
    const reading = await ask(client, requests, at);
    await store.saveReading(login, KIND, JSON.stringify(reading), reading.at);
    return reading;
  }
  return {
    read() {
      pending ??= read().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
