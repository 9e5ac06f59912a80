/** The simulator in its own process, so its CPU does not count against the queue under test. */
import { startSimulator } from "@smsc-kit/simulator";

const sim = await startSimulator({
  // Rate rules off: every job is a distinct message; we measure dispatch, not SMSC's abuse limits.
  rules: { rateLimits: false, lifecycle: { handoffMs: 60_000, deliveryMs: 60_000 } },
  accounts: [{ login: "demo", psw: "demo", balance: 1e9 }],
  // SIM_LATENCY_MS: every answer takes this long (outbox/coalesce.ts runs at SMSC-like latency too).
  ...(process.env.SIM_LATENCY_MS && Number(process.env.SIM_LATENCY_MS) > 0
    ? { latency: { minMs: Number(process.env.SIM_LATENCY_MS), maxMs: Number(process.env.SIM_LATENCY_MS) } }
    : {}),
});
process.send?.({ url: sim.url });
process.on("message", (m: { cmd: string }) => {
  if (m.cmd === "count")
    // The counter, not messages(): copying tens of thousands of messages per check would be slow.
    process.send?.({ count: sim.inspector.counters().messagesCreated });
  if (m.cmd === "reset") {
    sim.inspector.reset();
    process.send?.({ reset: true });
  }
});
process.on("disconnect", () => void sim.close().then(() => process.exit(0)));
