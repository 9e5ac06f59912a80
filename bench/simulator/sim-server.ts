// Child process: the smsc-kit simulator with its rate rules off (a load test), printing its URL.
import { startSimulator } from "@smsc-kit/simulator";

const sim = await startSimulator({
  port: 0,
  accounts: [{ login: "bench", psw: "bench", balance: 1e12 }],
  rules: { rateLimits: false },
});
process.stdout.write(`${sim.url}\n`);
process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
// The load client asks for this process's CPU time over IPC, to compare cost per request.
process.on("message", (message) => {
  if (message === "cpu") process.send?.(process.cpuUsage());
});
