import { DELIVERY_ERRORS, statusInfo } from "./protocol.js";

/**
 * The statuses of an ordinary message's life in SMSC's status table (docs/protocol.md §3.1): waiting to
 * be sent, handed to the operator, delivered, or expired when its lifetime (`valid`) ran out first.
 * Checked against the catalog at start-up, so a catalog that renumbered them would stop the simulator
 * instead of making it lie.
 */
export const LIFECYCLE = {
  waiting: -1,
  handedToOperator: 0,
  delivered: 1,
  expired: 3,
} as const;

const EXPECTED_KIND: Record<keyof typeof LIFECYCLE, string> = {
  waiting: "pending",
  handedToOperator: "pending",
  delivered: "delivered",
  expired: "failed",
};

for (const [name, code] of Object.entries(LIFECYCLE) as [keyof typeof LIFECYCLE, number][]) {
  const info = statusInfo(code);
  const expected = EXPECTED_KIND[name];
  if (info === undefined || info.kind !== expected) {
    throw new Error(
      `catalog: status ${code} is not the "${expected}" status the simulator's ${name} step expects`,
    );
  }
}

/** The delivery error an unreachable subscriber's expired message carries by default (catalog: 6). */
export const SUBSCRIBER_OFFLINE_ERR: number = (() => {
  const entry = Object.values(DELIVERY_ERRORS).find((e) => e.name === "Subscriber offline");
  if (entry === undefined) throw new Error('catalog: no delivery error named "Subscriber offline"');
  return entry.code;
})();
