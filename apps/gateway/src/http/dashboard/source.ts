import type { Outbox } from "@smsc-kit/outbox";
import type { StoredStatusEvent } from "@smsc-kit/webhook";
import type { PauseState, StatusEvent } from "../../view.js";
import type { BalanceReading } from "./balance.js";

/**
 * What the dashboard reads, as the gateway hands it over: the outbox (its insights, rows and redrive come from
 * the shared store), the webhook store's callbacks, the steps this process remembers, the pause state and the
 * cached balance. Nothing here is per-request state.
 */
export interface DashboardSource {
  outbox: Pick<Outbox, "insights" | "get" | "deadLetter" | "store">;
  callbacks(smscId: string): Promise<readonly StoredStatusEvent[]>;
  steps(rowId: number): readonly StatusEvent[];
  pause(): PauseState;
  balance(): Promise<BalanceReading>;
  /** The clock the pages are drawn against (tests drive it). */
  now?(): number;
}
