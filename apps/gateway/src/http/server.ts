import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeServer, listen } from "@smsc-kit/runtime";
import type { Logger } from "pino";
import type { GatewayView } from "../view.js";
import { type AuthLimits, createAuthLimiter } from "./auth-limiter.js";
import { authenticate } from "./basic-auth.js";
import type { DashboardHandler } from "./dashboard/routes.js";
import {
  allowedHostNames,
  crossSiteProblem,
  hostNameOf,
  isUnspecified,
  setSecurityHeaders,
} from "./guards.js";
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
  /** Basic credentials required for the status page, redrive and /metrics (and /readyz's reasons). */
  auth?: { username: string; password: string } | undefined;
  /** Limits on wrong Basic credentials per client address and username (auth-limiter.ts). */
  authLimits?: AuthLimits;
  /** Host names answered besides the listen address and the localhost names (DNS rebinding). */
  allowedHosts?: readonly string[];
  /** Deadlines for a request's headers and for the whole request (ms). Default 10 s and 30 s. */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** The operations dashboard under /dashboard (dashboard/routes.ts), behind the same host, auth and origin rules. */
  dashboard?: DashboardHandler;
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

  const hosts = allowedHostNames(options.host, options.allowedHosts);
  if (isUnspecified(options.host) && (options.allowedHosts ?? []).length === 0) {
    logger.warn(
      { host: options.host, answers: [...hosts] },
      "listening on every address, but the status page answers only to localhost names: add the names users reach it by to http.allowedHosts",
    );
  }
  const limiter = createAuthLimiter(options.authLimits);
  const authOutcome = (req: IncomingMessage) =>
    options.auth ? authenticate(req, options.auth, limiter, logger) : ({ kind: "ok" } as const);

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const mount = options.mounts?.[url.pathname];
    if (mount) return mount(req, res);
    const hostAllowed = hosts.has(hostNameOf(req.headers.host) ?? "");

    if (req.method === "GET" || req.method === "HEAD") {
      switch (url.pathname) {
        case "/healthz":
          return send(res, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz": {
          // Probes reach it by any address; why the outbox is paused is for those who may see the status page.
          const readiness = draining ? { ready: false, reasons: ["shutting down"] } : await view.readiness();
          const detailed = hostAllowed && authOutcome(req).kind === "ok";
          const body = detailed ? readiness : { ready: readiness.ready };
          return send(res, readiness.ready ? 200 : 503, "application/json", JSON.stringify(body));
        }
      }
    }
    // Everything else shows phone numbers or changes state: only under a host name this gateway answers to.
    if (!hostAllowed) {
      req.resume();
      return send(
        res,
        421,
        "text/plain; charset=utf-8",
        "host: not a name this gateway answers to (http.allowedHosts)\n",
      );
    }
    const outcome = authOutcome(req);
    if (outcome.kind === "locked") {
      req.resume();
      res.writeHead(429, { "retry-after": String(outcome.retryAfterSeconds), "cache-control": "no-store" });
      res.end("too many failed logins, try again later\n");
      return;
    }
    if (outcome.kind !== "ok") {
      req.resume();
      res.writeHead(401, {
        "www-authenticate": 'Basic realm="smsc gateway", charset="UTF-8"',
        "cache-control": "no-store",
      });
      res.end("authentication required\n");
      return;
    }
    // Every state change, today's redrive and whatever comes next, comes from the gateway's own pages only.
    if (req.method !== "GET" && req.method !== "HEAD") {
      const crossSite = crossSiteProblem(req);
      if (crossSite !== undefined) {
        req.resume();
        return send(res, 403, "text/plain; charset=utf-8", `cross-site request refused: ${crossSite}\n`);
      }
    }
    if (options.dashboard && (await options.dashboard(req, res, url))) return;
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

  const headersTimeout = options.timeouts?.headersMs ?? 10_000;
  const requestTimeout = Math.max(headersTimeout, options.timeouts?.requestMs ?? 30_000);
  const serverOptions = {
    // Node's defaults (60 s for headers, 5 min per request) let a client that never finishes its body hold
    // a connection for minutes; the check interval decides how soon an expired one is cut.
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2))),
  };
  const server: Server = createServer(serverOptions, (req, res) => {
    routes(req, res).catch((error: unknown) => {
      // A failing route answers 500; it never takes the process down.
      logger.error({ err: error, path: req.url?.split("?")[0] }, "HTTP request failed");
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  const { port, origin } = await listen(server, options);

  return {
    url: origin,
    port,
    markDraining() {
      draining = true;
    },
    close: () => closeServer(server),
  };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}
