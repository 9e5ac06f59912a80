// Child process: a node-soap server built from the same spec/smsc.wsdl, with the thinnest possible
// service (fixed answers, no accounts, no state): the anchor's own cost per request.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { listen } from "soap";

const wsdlPath = new URL("../../spec/smsc.wsdl", import.meta.url);
let nextId = 1;
const service = {
  Service: {
    ServiceSoap: {
      get_balance: () => ({ balanceresult: { balance: "1000.00", error: "0" } }),
      send_sms: () => ({ sendresult: { id: String(nextId++), cnt: "1" } }),
    },
  },
};

const server = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const origin = `http://127.0.0.1:${port}`;
const wsdl = readFileSync(wsdlPath, "utf8").split("https://smsc.ru").join(origin);
listen(server, "/sys/soap.php", service, wsdl);
process.stdout.write(`${origin}/sys/soap.php\n`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
// The load client asks for this process's CPU time over IPC, to compare cost per request.
process.on("message", (message) => {
  if (message === "cpu") process.send?.(process.cpuUsage());
});
