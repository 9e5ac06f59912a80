import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { GatewayView } from "../view.js";
import type { GatewayMetrics } from "./metrics.js";
import { renderStatusPage } from "./status-page.js";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface GatewayHttpOptions {
  host: string;
  port: number;
  view: GatewayView;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Extra routes by exact path, e.g. the webhook receiver at `/smsc/callback`. */
  mounts?: Record<string, NodeHandler>;
  /** Basic credentials required for the status page, redrive and /metrics. */
  auth?: { username: string; password: string } | undefined;
}

export interface GatewayHttpServer {
  url: string;
  port: number;
  /** From now on /readyz answers 503 so load balancers move away while we drain. */
  markDraining(): void;
  close(): Promise<void>;
}

const REDRIVE_ROUTE = /^\/dead-letter\/([^/]+)\/redrive$/;

export async function startHttpServer(options: GatewayHttpOptions): Promise<GatewayHttpServer> {
  let draining = false;
  const { view, metrics, logger } = options;

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const mount = options.mounts?.[url.pathname];
    if (mount) return mount(req, res);

    if (req.method === "GET" || req.method === "HEAD") {
      switch (url.pathname) {
        case "/healthz":
          return send(res, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz": {
          const readiness = draining ? { ready: false, reasons: ["shutting down"] } : await view.readiness();
          return send(res, readiness.ready ? 200 : 503, "application/json", JSON.stringify(readiness));
        }
      }
    }
    if (options.auth && !isAuthorized(req, options.auth)) {
      req.resume();
      res.writeHead(401, {
        "www-authenticate": 'Basic realm="smsc gateway", charset="UTF-8"',
        "cache-control": "no-store",
      });
      res.end("authentication required\n");
      return;
    }
    if (req.method === "GET" || req.method === "HEAD") {
      switch (url.pathname) {
        case "/metrics":
          return send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
        case "/": {
          const [queue, recent, deadLetters] = await Promise.all([
            view.queue(),
            view.recentMessages(50),
            view.deadLetters(50),
          ]);
          const page = renderStatusPage({
            queue,
            recent,
            deadLetters,
            pause: view.pause(),
            notice: url.searchParams.get("notice") ?? undefined,
          });
          return send(res, 200, "text/html; charset=utf-8", page);
        }
      }
    }

    const redrive = REDRIVE_ROUTE.exec(url.pathname);
    if (redrive && req.method === "POST") {
      if (isCrossSite(req))
        return send(res, 403, "text/plain; charset=utf-8", "cross-site request refused\n");
      req.resume();
      const rowId = safeDecode(redrive[1] ?? "");
      if (rowId === undefined || !/^\d{1,15}$/.test(rowId)) {
        return send(res, 400, "text/plain; charset=utf-8", "row id: must be a positive integer\n");
      }
      const redriven = await view.redrive(rowId);
      if (redriven) logger.info({ rowId }, "dead-lettered message redriven from the status page");
      const notice = redriven ? `message ${rowId} redriven` : `message ${rowId} is not in the dead letter`;
      res.writeHead(303, { location: `/?notice=${encodeURIComponent(notice)}` });
      res.end();
      return;
    }
    return send(res, 404, "text/plain; charset=utf-8", "not found\n");
  };

  const server: Server = createServer((req, res) => {
    routes(req, res).catch((error: unknown) => {
      // A failing route answers 500; it never takes the process down.
      logger.error({ err: error, path: req.url?.split("?")[0] }, "HTTP request failed");
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    markDraining() {
      draining = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function isAuthorized(req: IncomingMessage, auth: { username: string; password: string }): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match?.[1]) return false;
  // Digests first, so the comparison is constant-time and does not reveal the length either.
  const given = createHash("sha256").update(Buffer.from(match[1], "base64")).digest();
  const expected = createHash("sha256").update(`${auth.username}:${auth.password}`, "utf8").digest();
  return timingSafeEqual(given, expected);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

/** The redrive form is a state change: refuse it from other origins (a browser always says where it came from). */
function isCrossSite(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.origin;
  if (origin === undefined || origin === "null") return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}
