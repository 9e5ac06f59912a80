import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Client, createClientAsync } from "soap";
import { type RunningSimulator, type SimulatorOptions, startSimulator } from "../src/index.js";

/** Tests run on a frozen clock at a fixed instant (10:00 Moscow time), so every time rule is deterministic. */
export const T0 = new Date("2026-03-10T07:00:00Z");

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ clock: { start: T0, frozen: true }, ...options });
}

export async function soapClient(sim: RunningSimulator): Promise<Client> {
  return createClientAsync(sim.wsdlUrl);
}

type SoapResult = Record<string, Record<string, unknown> | undefined>;

/** Calls `operation` through node-soap and returns the `*result` element's fields. */
export async function call(
  client: Client,
  operation: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const method = client[`${operation}Async`] as (a: Record<string, unknown>) => Promise<[SoapResult]>;
  const [response] = await method.call(client, args);
  const wrapper = Object.values(response ?? {})[0];
  if (wrapper === undefined) throw new Error(`${operation}: empty response`);
  return wrapper;
}

/** Posts a raw body to the SOAP endpoint (for what a SOAP library would never send). */
export async function rawPost(
  sim: RunningSimulator,
  body: string,
  headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" },
): Promise<{ status: number; text: string }> {
  const response = await fetch(sim.url, { method: "POST", body, headers });
  return { status: response.status, text: await response.text() };
}

export function envelope(element: string, fields: Record<string, string>, namespace = "x"): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</${k}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soap:Body><${element} xmlns="${namespace}">${inner}</${element}></soap:Body></soap:Envelope>`
  );
}

export interface ReceivedCallback {
  fields: Record<string, string>;
  contentType: string | undefined;
}

/** A status-handler endpoint that records each POST and answers with the next planned status (then 200). */
export async function startCallbackReceiver(plannedStatuses: number[] = []): Promise<{
  url: string;
  received: ReceivedCallback[];
  close: () => Promise<void>;
}> {
  const received: ReceivedCallback[] = [];
  const plan = [...plannedStatuses];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      received.push({ fields, contentType: req.headers["content-type"] });
      const status = plan.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "OK" : "not yet");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/smsc/status`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The parameter sets of SMSC's SOAP page (docs/protocol.md §1), with the simulator's demo account. */
export const DEMO = { login: "demo", psw: "demo" } as const;
