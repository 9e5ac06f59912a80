/**
 * The relay's Prometheus metrics (prom-client), registered on the registry the embedder passes
 * (`RelayOptions.metrics`, the gateway's /metrics). Without one they are kept but never exported.
 * Labels only ever carry configured usernames, never what a client typed.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { QuotaTracker } from "./quota.js";

export function createRelayMetrics(registry: Registry | undefined, quota: QuotaTracker) {
  const registers = registry ? [registry] : [];
  new Gauge({
    name: "smsc_relay_quota_used",
    help: "What each SMTP user used of each quota in its rolling window (SMS, or parts for parts_per_day)",
    labelNames: ["user", "limit"],
    registers,
    collect() {
      this.reset();
      for (const row of quota.usage()) this.set({ user: row.user, limit: row.limit }, row.used);
    },
  });
  new Gauge({
    name: "smsc_relay_quota_limit",
    help: "Each SMTP user's configured quota per rolling window",
    labelNames: ["user", "limit"],
    registers,
    collect() {
      this.reset();
      for (const row of quota.usage()) this.set({ user: row.user, limit: row.limit }, row.max);
    },
  });
  return {
    quotaRefusals: new Counter({
      name: "smsc_relay_quota_refusals_total",
      help: "Quota refusals (at RCPT or after DATA), by user, limit and kind (transient 452, permanent 550)",
      labelNames: ["user", "limit", "kind"],
      registers,
    }),
    authFailures: new Counter({
      name: "smsc_relay_auth_failures_total",
      help: "AUTH attempts refused: wrong credentials (535) or a locked-out address or username (454)",
      labelNames: ["reason"],
      registers,
    }),
    connectionsClosed: new Counter({
      name: "smsc_relay_connections_closed_total",
      help: "Connections the relay refused or closed for a limit (per address, unauthenticated pool, AUTH deadline, AUTH failures)",
      labelNames: ["reason"],
      registers,
    }),
  };
}

export type RelayMetrics = ReturnType<typeof createRelayMetrics>;
