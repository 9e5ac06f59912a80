/** Two ways of putting one request to the receiver: real HTTP to the node handler, and the Fetch handler. */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookHandler } from "../../src/index.js";

export interface TestRequest {
  method?: string;
  /** Query string without the leading "?". */
  query?: string;
  body?: string | Uint8Array;
  contentType?: string;
  /** Send the body with Transfer-Encoding: chunked instead of a Content-Length (node transport). */
  chunked?: boolean;
}

export interface TestResponse {
  status: number;
  body: string;
}

export type Transport = (request: TestRequest) => Promise<TestResponse>;

export const FORM = "application/x-www-form-urlencoded";

export interface NodeTransport {
  send: Transport;
  close(): Promise<void>;
}

/** Serves `handler.node` on an ephemeral loopback port and talks to it with node's http client. */
export async function nodeTransport(handler: WebhookHandler, path = "/smsc"): Promise<NodeTransport> {
  const server: Server = createServer(handler.node);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    send: (request) => rawRequest(port, path, request),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function rawRequest(port: number, path: string, request: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: request.method ?? "POST",
        path: request.query ? `${path}?${request.query}` : path,
        headers: {
          ...(request.contentType ? { "content-type": request.contentType } : {}),
          ...(body && !request.chunked ? { "content-length": body.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    // A receiver that refuses an oversize body answers and closes before reading it all: the answer
    // is what the test checks, so a reset while still writing is not a failure.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (body && request.chunked) {
      // Several chunks, so the receiver has to count while it reads.
      for (let at = 0; at < body.length; at += 512) req.write(body.subarray(at, at + 512));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

/** Calls `handler.fetch` with a standard Request, as a Fetch runtime would. */
export function fetchTransport(handler: WebhookHandler, path = "/smsc"): Transport {
  return async (request) => {
    const method = request.method ?? "POST";
    const url = `http://receiver.test${path}${request.query ? `?${request.query}` : ""}`;
    const response = await handler.fetch(
      new Request(url, {
        method,
        ...(request.body !== undefined ? { body: request.body } : {}),
        headers: request.contentType ? { "content-type": request.contentType } : {},
      }),
    );
    return { status: response.status, body: await response.text() };
  };
}
