/**
 * A SOAP server that nobody in this project wrote: node-soap 1.13.0 serving spec/smsc.wsdl on a loopback
 * port. The WSDL's namespace and address are rewritten to the server's own origin, as SMSC does for each
 * host (catalog soap.namespacePolicy: follows-host).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import * as soap from "soap";

export const WSDL_PATH = fileURLToPath(new URL("../../../../spec/smsc.wsdl", import.meta.url));
const SMSC_ORIGIN_NS = "https://smsc.ru/sys/soap.php";

export type SoapArgs = Record<string, string | undefined>;
export type Handler = (args: SoapArgs, request: IncomingMessage) => Record<string, unknown>;
export type Handlers = Partial<Record<string, Handler>>;

export interface RunningSoapServer {
  origin: string;
  wsdlUrl: string;
  /** Raw request bodies received, in order. */
  bodies: string[];
  /** SOAPAction headers received, in order. */
  soapActions: (string | undefined)[];
  close(): Promise<void>;
}

export function wsdlFor(origin: string): string {
  return readFileSync(WSDL_PATH, "utf8").replaceAll(SMSC_ORIGIN_NS, `${origin}/sys/soap.php`);
}

export async function startNodeSoapServer(handlers: Handlers): Promise<RunningSoapServer> {
  const bodies: string[] = [];
  const soapActions: (string | undefined)[] = [];
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const port_: Record<string, soap.ISoapServiceMethod> = {};
  for (const [operation, handler] of Object.entries(handlers)) {
    if (handler === undefined) continue;
    port_[operation] = (args: SoapArgs, _callback, _headers, request: IncomingMessage) =>
      handler(args, request);
  }
  await new Promise<void>((resolve, reject) => {
    soap.listen(
      server,
      "/sys/soap.php",
      { Service: { ServiceSoap: port_ } },
      wsdlFor(origin),
      (error: unknown) => (error ? reject(error) : resolve()),
    );
  });
  // All seven SMSC operations share one soapAction, so SMSC (PHP SoapServer) dispatches on the body
  // element. node-soap dispatches on the SOAPAction header when there is one and would pick the first
  // operation with that action; the harness records the header and removes it so node-soap dispatches
  // on the body element as SMSC does. It wraps node-soap's own listener (installed once the WSDL is ready).
  const soapListeners = server.listeners("request") as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "POST") {
      const action = request.headers["soapaction"];
      soapActions.push(Array.isArray(action) ? action[0] : action);
      delete request.headers["soapaction"];
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => bodies.push(Buffer.concat(chunks).toString("utf8")));
    }
    for (const listener of soapListeners) listener.call(server, request, response);
  });
  return {
    origin,
    wsdlUrl: `${origin}/sys/soap.php?wsdl`,
    bodies,
    soapActions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
