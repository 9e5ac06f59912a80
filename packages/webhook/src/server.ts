/** `startWebhookServer`: the receiver as a standalone HTTP server on one path. */
import { createServer, type Server } from "node:http";
import { closeServer, listen } from "@smsc-kit/runtime";
import { WebhookConfigError } from "./errors.js";
import { createWebhookHandler, type WebhookHandler, type WebhookHandlerOptions } from "./handler.js";
import { isLoopbackHost } from "./loopback.js";

export interface WebhookServerOptions extends WebhookHandlerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; pass 0.0.0.0 to accept SMSC from outside. */
  host?: string;
  /** The callback path configured in SMSC's settings. Default `/`. Other paths answer 404. */
  path?: string;
  /**
   * Listening beyond loopback without a `secret` accepts forged callbacks (a forged final status wins), so it
   * is refused unless this says so in words.
   */
  allowUnsigned?: boolean;
}

export interface WebhookServer {
  readonly url: string;
  readonly port: number;
  readonly handler: WebhookHandler;
  readonly server: Server;
  /** Stops accepting, lets in-flight callbacks finish their writes. The store stays open (it is yours). */
  close(): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const host = options.host ?? "127.0.0.1";
  if (!options.secret && !options.allowUnsigned && !isLoopbackHost(host)) {
    throw new WebhookConfigError(
      "secret",
      `is required to listen on ${host} (beyond loopback); set allowUnsigned: true to accept unsigned callbacks`,
    );
  }
  const handler = createWebhookHandler(options);
  const path = options.path ?? "/";
  // Node's own limits back up the handler's deadline against slow-header clients; the check interval decides
  // how soon an expired connection is cut (Node's default of 30 s would let it outlive the deadline).
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const limits = {
    headersTimeout: timeoutMs,
    requestTimeout: timeoutMs + 1_000,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(timeoutMs / 2))),
  };
  const server = createServer(limits, (req, res) => {
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    if (pathname !== path) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    handler.node(req, res);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });

  const { port, origin } = await listen(server, { port: options.port, host });
  return {
    url: `${origin}${path}`,
    port,
    handler,
    server,
    close: () => closeServer(server, { strict: true }),
  };
}
