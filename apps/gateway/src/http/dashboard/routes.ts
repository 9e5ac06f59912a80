/**
 * The dashboard's routes under /dashboard. The server calls this after its Host allow-list, Basic auth and, for
 * anything but GET/HEAD, its same-origin check, so every page and the redrive action live within those rules.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { DASHBOARD_CSS, LIVE_JS } from "./assets.js";
import { DASHBOARD_CSP, Html, html, renderPage } from "./layout.js";
import { loadMessage, renderMessage } from "./message-page.js";
import { loadSearch, renderSearch } from "./messages.js";
import { loadOverview, renderOverviewFragment } from "./overview.js";
import type { DashboardSource } from "./source.js";

export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const MESSAGE = /^\/dashboard\/messages\/(\d{1,15})$/;
const REDRIVE = /^\/dashboard\/messages\/(\d{1,15})\/redrive$/;
const LIVE_EVERY_MS = 5_000;

function reply(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "content-security-policy": DASHBOARD_CSP,
    ...headers,
  });
  res.end(body);
}

function etagOf(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** Answers /dashboard/… requests; false for any other path (the server goes on with its own routes). */
export function dashboardRoutes(source: DashboardSource, logger: Logger): DashboardHandler {
  return async (req, res, url) => {
    const path = url.pathname;
    if (path !== "/dashboard" && !path.startsWith("/dashboard/")) return false;
    const read = req.method === "GET" || req.method === "HEAD";

    if (read && path === "/dashboard/assets/dashboard.css") {
      reply(res, 200, "text/css; charset=utf-8", DASHBOARD_CSS, { "cache-control": "private, max-age=300" });
      return true;
    }
    if (read && path === "/dashboard/assets/live.js") {
      reply(res, 200, "text/javascript; charset=utf-8", LIVE_JS, { "cache-control": "private, max-age=300" });
      return true;
    }
    if (read && (path === "/dashboard" || path === "/dashboard/")) {
      const fragment = renderOverviewFragment(await loadOverview(source)).value;
      const body = html`<div id="live" data-live="/dashboard/live/overview" data-every="${LIVE_EVERY_MS}" data-etag="${etagOf(fragment)}">${new Html(fragment)}</div>`;
      reply(
        res,
        200,
        "text/html; charset=utf-8",
        renderPage("Overview", "overview", body, url.searchParams.get("notice") ?? undefined),
      );
      return true;
    }
    if (read && path === "/dashboard/live/overview") {
      const fragment = renderOverviewFragment(await loadOverview(source)).value;
      const etag = etagOf(fragment);
      // Conditional polling: unchanged figures cost one 304 without a body.
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag, "cache-control": "no-cache", "content-security-policy": DASHBOARD_CSP });
        res.end();
        return true;
      }
      reply(res, 200, "text/html; charset=utf-8", fragment, { etag, "cache-control": "no-cache" });
      return true;
    }
    if (read && path === "/dashboard/messages") {
      const page = await loadSearch(source, url.searchParams);
      reply(
        res,
        page.error ? 400 : 200,
        "text/html; charset=utf-8",
        renderPage("Messages", "messages", renderSearch(page)),
      );
      return true;
    }
    const message = MESSAGE.exec(path);
    if (read && message) {
      const model = await loadMessage(source, Number(message[1]));
      if (model === null) {
        reply(
          res,
          404,
          "text/html; charset=utf-8",
          renderPage(
            "Not found",
            "messages",
            html`<p class="notice" id="not-found">No message ${message[1]} in the outbox.</p>`,
          ),
        );
        return true;
      }
      const notice = url.searchParams.get("notice") ?? undefined;
      reply(
        res,
        200,
        "text/html; charset=utf-8",
        renderPage(`Message ${model.row.rowId}`, "messages", renderMessage(model), notice),
      );
      return true;
    }
    const redrive = REDRIVE.exec(path);
    if (req.method === "POST" && redrive) {
      req.resume();
      const rowId = Number(redrive[1]);
      const redriven = await source.outbox.deadLetter.redrive(rowId);
      if (redriven) logger.info({ rowId }, "dead-lettered message redriven from the dashboard");
      const notice = redriven ? `message ${rowId} redriven` : `message ${rowId} is not in the dead letter`;
      res.writeHead(303, { location: `/dashboard/messages/${rowId}?notice=${encodeURIComponent(notice)}` });
      res.end();
      return true;
    }
    req.resume();
    reply(res, 404, "text/plain; charset=utf-8", "not found\n");
    return true;
  };
}
