import { createSmscClient } from "@smsc-kit/core";
import { startSimulator } from "@smsc-kit/simulator";

const sim = await startSimulator({ port: 0, accounts: [{ login: "bench", psw: "bench", balance: 1e9 }] });
const bodies: string[] = [];
const orig = globalThis.fetch;
const c = createSmscClient({ login: "bench", psw: "bench" }, {
  baseUrl: new URL(sim.url).origin,
  fallbackUrls: [],
  log: (l: unknown) => bodies.push(JSON.stringify(l)),
} as never);
const r = await c.send({
  phones: "",
  mes: "",
  err: true,
  list: [
    { phones: "79980000001", mes: "Order 1 is ready" },
    { phones: "79980000002", mes: "Order 2" },
  ],
});
console.log(r);
console.log(sim.inspector.counters().byOperation);
await c.close();
await sim.close();
