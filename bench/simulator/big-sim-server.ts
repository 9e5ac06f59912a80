// Child process: the simulator with its rate rules ON, a callback URL on the account and the lifecycle
// running quickly, so every per-recipient step of a big send (rules, status changes, callbacks) happens.
import { startSimulator } from "@smsc-kit/simulator";

const sim = await startSimulator({
  port: 0,
  accounts: [
    {
      login: "bench",
      psw: "bench",
      balance: 1e12,
      ...(process.env.CALLBACK_URL ? { callback: { url: process.env.CALLBACK_URL } } : {}),
    },
  ],
  rules: { lifecycle: { handoffMs: 50, deliveryMs: 100 } },
});
process.stdout.write(`${sim.url}\n`);
process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
process.on("message", (message) => {
  if (message === "cpu") process.send?.(process.cpuUsage());
});
