/**
 * A loopback HTTP server whose every answer is scripted per request, for the failure paths a SOAP
 * server does not produce on demand: hanging after reading the request, resetting the connection,
 * HTTP errors, faults and malformed bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour = (request: IncomingMessage, response: ServerResponse, body: string) => void;

export interface RawServer {
  origin: string;
  /** Bodies received, in order. */
  bodies: string[];
  /** What to do with the next requests (the last one repeats). */
  script: Behaviour[];
  close(): Promise<void>;
}

export async function startRawServer(script: Behaviour[]): Promise<RawServer> {
  const bodies: string[] = [];
  const state = { script };
  let served = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      bodies.push(body);
      const behaviour = state.script[Math.min(served, state.script.length - 1)];
      served++;
      behaviour?.(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    bodies,
    get script() {
      return state.script;
    },
    set script(next: Behaviour[]) {
      state.script = next;
      served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const xml =
  (body: string, status = 200): Behaviour =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "text/xml; charset=utf-8" });
    response.end(body);
  };

/** Read the request, then never answer. */
export const hang: Behaviour = () => {};

/** Read the request, then destroy the socket without an answer. */
export const reset: Behaviour = (request) => {
  request.socket.destroy();
};
