import { statusInfo } from "./protocol.js";

/**
 * The three statuses of an ordinary message's life in SMSC's status table (smsc-protocol.md §3.1):
 * waiting to be sent, handed to the operator, delivered. Checked against the catalog at start-up, so a
 * catalog that renumbered them would stop the simulator instead of making it lie.
 */
export const LIFECYCLE = {
  waiting: -1,
  handedToOperator: 0,
  delivered: 1,
} as const;

for (const [name, code] of Object.entries(LIFECYCLE)) {
  const info = statusInfo(code);
  const expected = name === "delivered" ? "delivered" : "pending";
  if (info === undefined || info.kind !== expected) {
    throw new Error(
      `catalog: status ${code} is not the "${expected}" status the simulator's ${name} step expects`,
    );
  }
}
