/**
 * The benchmark's server, run in its own process so that server and clients do not share one event loop.
 * `node-soap`: node-soap 1.13.0 serving spec/smsc.wsdl (namespace rewritten to its own origin).
 * `canned`: a bare HTTP server answering every POST with a prepared envelope (a send_sms answer to a
 * `send` body, else a get_status answer), so the figures show what the clients themselves cost.
 * Prints the origin on stdout once listening.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import * as soap from "soap";

const kind = process.argv[2] === "canned" ? "canned" : "node-soap";
const WSDL = fileURLToPath(new URL("../../spec/smsc.wsdl", import.meta.url));

const STATUS_RESULT = {
  status: "1",
  last_date: "25.11.2026 11:00:05",
  last_timestamp: "1795593605",
  err: "0",
  send_date: "25.11.2026 10:59:58",
  phone: "79990000001",
  cost: "1.40",
  sender_id: "smsc-kit",
  status_name: "Delivered",
  message: "Benchmark message",
};

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const namespace = `${origin}/sys/soap.php`;

if (kind === "canned") {
  const fields = Object.entries(STATUS_RESULT)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join("");
  const open = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>`;
  const body = `${open}<StatusResponse xmlns="${namespace}"><statusresult>${fields}</statusresult></StatusResponse></soap:Body></soap:Envelope>`;
  const sendBody = `${open}<SendResponse xmlns="${namespace}"><sendresult><id>1</id><cnt>1</cnt></sendresult></SendResponse></soap:Body></soap:Envelope>`;
  server.on("request", (request, response) => {
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(readFileSync(WSDL, "utf8").replaceAll("https://smsc.ru/sys/soap.php", namespace));
      return;
    }
    let head = "";
    request.on("data", (chunk: Buffer) => {
      if (head.length < 400) head += chunk.toString("latin1");
    });
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/xml; charset=utf-8" });
      response.end(/<(\w+:)?send[\s>]/.test(head) ? sendBody : body);
    });
  });
} else {
  const wsdl = readFileSync(WSDL, "utf8").replaceAll("https://smsc.ru/sys/soap.php", namespace);
  const services = { Service: { ServiceSoap: { get_status: () => ({ statusresult: STATUS_RESULT }) } } };
  await new Promise<void>((resolve, reject) => {
    soap.listen(server, "/sys/soap.php", services, wsdl, (error: unknown) =>
      error ? reject(error) : resolve(),
    );
  });
  // All seven SMSC operations share one soapAction, so SMSC dispatches on the body element; node-soap
  // would dispatch on the SOAPAction header to the first operation with that action. Drop the header
  // (both clients send it) so node-soap dispatches on the body element, as SMSC does.
  const soapListeners = server.listeners("request") as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    delete request.headers["soapaction"];
    for (const listener of soapListeners) listener.call(server, request, response);
  });
}

process.stdout.write(`${origin}\n`);
