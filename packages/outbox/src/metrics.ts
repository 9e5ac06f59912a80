import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Outbox, OutboxStats } from "./outbox.js";
import { ROW_STATES } from "./store/store.js";

export interface OutboxMetricsOptions {
  /** Where to register (the gateway's registry); a service with several outboxes labels each with `outbox`. */
  registry: Registry;
  prefix?: string;
  /** Value of the `outbox` label (default "default"). */
  name?: string;
  /** End-to-end latency buckets in seconds (enqueue → accepted by SMSC). */
  latencyBuckets?: number[];
}

/**
 * Prometheus metrics for one outbox: rows by state, age of the oldest due row and dead-letter depth (read from
 * the store at scrape time), sends by result and SMSC error code, and end-to-end latency. Returns a function that
 * detaches the event listeners (the metrics stay registered).
 */
export function registerOutboxMetrics(outbox: Outbox, options: OutboxMetricsOptions): () => void {
  const prefix = options.prefix ?? "smsc_outbox_";
  const name = options.name ?? "default";
  const registers = [options.registry];

  // One store query per scrape, shared by the gauges below.
  let cached: { at: number; stats: Promise<OutboxStats> } | null = null;
  const stats = (): Promise<OutboxStats> => {
    const now = Date.now();
    if (!cached || now - cached.at > 1_000) cached = { at: now, stats: outbox.stats() };
    return cached.stats;
  };

  const existing = <T>(metric: string): T | undefined =>
    options.registry.getSingleMetric(metric) as T | undefined;

  const gauge = <L extends string>(suffix: string, help: string, labelNames: L[]): Gauge<L> =>
    existing<Gauge<L>>(`${prefix}${suffix}`) ??
    new Gauge<L>({ name: `${prefix}${suffix}`, help, labelNames, registers });

  const rows = gauge("rows", "Outbox rows by state", ["outbox", "state"]);
  const oldest = gauge("oldest_due_age_seconds", "Age of the oldest row that is due and still waiting", [
    "outbox",
  ]);
  const dead = gauge("dead_letter_depth", "Rows in the dead letter", ["outbox"]);
  // Only a funds or credentials pause sets it; an IP block backs off without pausing (stats().blockedUntil).
  const paused = gauge("paused", "1 while the outbox is paused for lack of funds or refused credentials", [
    "outbox",
  ]);
  const inFlight = gauge("in_flight", "Sends this process has under way", ["outbox"]);
  const sends =
    existing<Counter<"outbox" | "result" | "code">>(`${prefix}sends_total`) ??
    new Counter({
      name: `${prefix}sends_total`,
      help: "Delivery outcomes by result and SMSC error code",
      labelNames: ["outbox", "result", "code"],
      registers,
    });
  const latency =
    existing<Histogram<"outbox">>(`${prefix}end_to_end_seconds`) ??
    new Histogram({
      name: `${prefix}end_to_end_seconds`,
      help: "From enqueue to accepted by SMSC",
      labelNames: ["outbox"],
      buckets: options.latencyBuckets ?? [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });

  // prom-client awaits an async collect() before reading a gauge.
  const refresh = async () => {
    const s = await stats();
    for (const state of ROW_STATES) rows.set({ outbox: name, state }, s.byState[state]);
    oldest.set({ outbox: name }, s.oldestDueAgeMs / 1000);
    dead.set({ outbox: name }, s.deadLetterDepth);
    paused.set({ outbox: name }, s.paused === null ? 0 : 1);
    inFlight.set({ outbox: name }, s.inFlight);
  };
  const collectors = [rows, oldest, dead, paused, inFlight] as unknown as { collect?: () => Promise<void> }[];
  for (const g of collectors) g.collect = refresh;

  const code = (c: number | null) => (c === null ? "" : String(c));
  const onSent = (e: { at: number; createdAt: number }) => {
    sends.inc({ outbox: name, result: "sent", code: "" });
    latency.observe({ outbox: name }, Math.max(0, e.at - e.createdAt) / 1000);
  };
  const onRetry = (e: { unknown: boolean; error: { code: number | null } }) =>
    sends.inc({ outbox: name, result: e.unknown ? "unknown" : "retry", code: code(e.error.code) });
  const onDead = (e: { error: { code: number | null } }) =>
    sends.inc({ outbox: name, result: "dead", code: code(e.error.code) });
  outbox.on("sent", onSent);
  outbox.on("retry", onRetry);
  outbox.on("dead", onDead);
  return () => {
    outbox.off("sent", onSent);
    outbox.off("retry", onRetry);
    outbox.off("dead", onDead);
  };
}
