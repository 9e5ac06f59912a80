import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Counters } from "./counters.js";
import type { EngineResult, SimulatorEngine } from "./engine.js";
import { ERRORS } from "./error-codes.js";
import {
  FAULT_HEADER,
  type FaultRegistry,
  type FaultRule,
  FaultRuleError,
  parseFaultSpec,
} from "./faults.js";
import { handleInspectorRequest, INSPECTOR_PREFIX } from "./inspector-http.js";
import {
  buildFaultEnvelope,
  buildResponseEnvelope,
  isKnownErrorCode,
  type OperationName,
  operationForElement,
  parsePhones,
} from "./protocol.js";
import type { SimulatorInspector } from "./simulator.js";
import { type FaultAnswer, faultAnswer, soapContentType, soapVersionOfContentType } from "./soap/answer.js";
import { decodeSoapBody } from "./soap/body-encoding.js";
import { parseSoapRequest, SoapRequestError, type SoapVersion } from "./soap/request.js";
import { renderWsdl, type WsdlTemplate } from "./wsdl.js";

export interface ServerDeps {
  engine: SimulatorEngine;
  faults: FaultRegistry;
  counters: Counters;
  wsdl: WsdlTemplate;
  soapPath: string;
  maxBodyBytes: number;
  fallbackOrigin: () => string;
  log: ((line: string) => void) | undefined;
  /** This request's wait from the latency profile, in ms (0 without one). */
  latency: () => number;
  /** The inspector served under /_sim/ (undefined: routes off). */
  inspector: () => SimulatorInspector | undefined;
  timeouts: ServerTimeouts;
}

/**
 * How long a client may take to send its headers, and its whole request. Node's own defaults (a minute
 * for headers, five for the request) let a client that announces more body than it sends hold a
 * connection for minutes; the simulator's are seconds. Node checks them on a timer, so the check runs
 * often enough for the shortest one to be cut close to its time.
 */
export interface ServerTimeouts {
  headersMs: number;
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000 };

function checkInterval(timeouts: ServerTimeouts): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
}

const XML = "text/xml; charset=utf-8";
// A Host header is used to write the WSDL and the response namespace; anything odd falls back.
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

class BodyTooLarge extends Error {}

const NO_PARAMS = new URLSearchParams();

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The SMSC recipients a request names, for fault matching (element `phones`/`phone` only), split as core splits them. */
function phonesOf(fields: Record<string, string>): string[] {
  return parsePhones(fields["phones"] ?? fields["phone"] ?? "").map((recipient) => recipient.input);
}

export function createSimulatorServer(deps: ServerDeps): Server {
  const server = createServer(
    {
      headersTimeout: deps.timeouts.headersMs,
      requestTimeout: deps.timeouts.requestMs,
      connectionsCheckingInterval: checkInterval(deps.timeouts),
    },
    (req, res) => {
      handle(deps, req, res).catch((error: unknown) => {
        // Never let one bad request take the process down: answer 500 and carry on.
        deps.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) send(res, 500, buildFaultEnvelope("Server", "Internal simulator error"));
        else res.destroy();
      });
    },
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const status = error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

function sendFault(res: ServerResponse, fault: FaultAnswer): void {
  send(res, fault.status, fault.body, fault.contentType);
}

function send(res: ServerResponse, status: number, body: string, type = XML): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function originOf(deps: ServerDeps, req: IncomingMessage): string {
  const host = req.headers.host;
  return host !== undefined && SAFE_HOST.test(host) ? `http://${host}` : deps.fallbackOrigin();
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  // Split by hand: a full URL parse per request is measurable at load-test rates.
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const url = {
    pathname: queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt),
    searchParams: queryAt === -1 ? NO_PARAMS : new URLSearchParams(rawUrl.slice(queryAt + 1)),
  };
  const logLine = (detail: string, status: number) =>
    deps.log?.(
      `${req.method} ${url.pathname} ${detail} -> ${status} ${(performance.now() - started).toFixed(1)}ms`,
    );

  const inspector = deps.inspector();
  if (inspector !== undefined && url.pathname.startsWith(INSPECTOR_PREFIX)) {
    await handleInspectorRequest(inspector, req, res, url.pathname, url.searchParams);
    logLine("inspector", res.statusCode);
    return;
  }
  if (url.pathname !== deps.soapPath) {
    send(res, 404, "Not Found\n", "text/plain; charset=utf-8");
    logLine("", 404);
    return;
  }
  if (req.method === "GET" || req.method === "HEAD") {
    if (![...url.searchParams.keys()].some((k) => k.toLowerCase() === "wsdl")) {
      send(res, 405, buildFaultEnvelope("Client", "Use POST for SOAP calls or ?wsdl for the contract"));
      logLine("", 405);
      return;
    }
    deps.counters.wsdl();
    send(res, 200, renderWsdl(deps.wsdl, originOf(deps, req)));
    logLine("wsdl", 200);
    return;
  }
  if (req.method !== "POST") {
    res.setHeader("allow", "GET, POST");
    send(res, 405, buildFaultEnvelope("Client", "Method not allowed"));
    logLine("", 405);
    return;
  }

  const contentType = req.headers["content-type"];
  let soapVersion: SoapVersion = soapVersionOfContentType(contentType);
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch (error) {
    deps.counters.request(undefined);
    deps.counters.soapFault();
    res.setHeader("connection", "close");
    if (error instanceof BodyTooLarge) {
      const message = `Request body larger than ${deps.maxBodyBytes} bytes`;
      send(res, 413, faultAnswer(soapVersion, "Client", message).body, soapContentType(soapVersion));
      logLine("too large", 413);
    } else {
      res.destroy();
    }
    return;
  }

  let operation: OperationName | undefined;
  let fields: Record<string, string>;
  let malformed: string[];
  let requestNamespace: string;
  try {
    const parsed = parseSoapRequest(decodeSoapBody(body, contentType));
    soapVersion = parsed.soapVersion;
    operation = operationForElement(parsed.element);
    fields = parsed.fields;
    malformed = parsed.malformedFields;
    requestNamespace = parsed.namespace;
    if (operation === undefined)
      throw new SoapRequestError("Client", `Procedure '${parsed.element}' not present`, soapVersion);
  } catch (error) {
    if (!(error instanceof SoapRequestError)) throw error;
    deps.counters.request(undefined);
    deps.counters.soapFault();
    // A VersionMismatch is written in SOAP 1.1, the version that defines it and that every SOAP node reads.
    const version = error.faultCode === "VersionMismatch" ? "1.1" : (error.soapVersion ?? soapVersion);
    const fault = faultAnswer(version, error.faultCode, error.message);
    sendFault(res, fault);
    logLine(`fault "${error.message}"`, fault.status);
    return;
  }
  deps.counters.request(operation);
  // The answer is in the namespace the request used: the client built its reader from a WSDL (ours through
  // another host name, or SMSC's own) whose namespace it wrote into the request. Unqualified requests get
  // the namespace of the WSDL this host serves.
  const namespace = requestNamespace !== "" ? requestNamespace : `${originOf(deps, req)}${deps.soapPath}`;

  let fault: FaultRule | undefined;
  const header = req.headers[FAULT_HEADER];
  try {
    fault =
      typeof header === "string"
        ? parseFaultSpec(header, isKnownErrorCode)
        : deps.faults.pick({ operation, login: fields["login"], phones: () => phonesOf(fields) });
  } catch (error) {
    if (!(error instanceof FaultRuleError)) throw error;
    send(res, 400, faultAnswer(soapVersion, "Client", error.message).body, soapContentType(soapVersion));
    logLine(`bad ${FAULT_HEADER}`, 400);
    return;
  }
  if (fault !== undefined) deps.counters.faultInjected();

  const ticket = deps.engine.enter(operation, fields);
  try {
    // The latency profile and a fault's latency add up; both are waited while the request is in flight.
    // A request refused for being one too many at once is answered without the profile's wait.
    const wait = (ticket.error === undefined ? deps.latency() : 0) + (fault?.latencyMs ?? 0);
    if (wait > 0) await sleep(wait);
    if (fault?.httpStatus !== undefined) {
      send(res, fault.httpStatus, `Injected HTTP ${fault.httpStatus}\n`, "text/plain; charset=utf-8");
      logLine(`${operation} injected http`, fault.httpStatus);
      return;
    }
    if (fault?.soapFault !== undefined) {
      deps.counters.soapFault();
      sendFault(res, faultAnswer(soapVersion, "Server", fault.soapFault));
      logLine(`${operation} injected fault`, 500);
      return;
    }
    let outcome: EngineResult;
    if (fault?.error !== undefined) outcome = deps.engine.errorResult(fault.error);
    else if (malformed.length > 0) outcome = deps.engine.errorResult(ERRORS.badRequest);
    else if (ticket.error !== undefined)
      outcome = deps.engine.refuseConcurrent({ ...ticket, error: ticket.error });
    else outcome = deps.engine.handle(operation, fields, req.socket.remoteAddress ?? "unknown");
    const detail = `${operation} login=${outcome.login ?? "-"}${outcome.error !== undefined ? ` error=${outcome.error}` : ""}`;
    if (fault?.afterAccept === "drop") {
      // The request took effect; the client never learns it: the unknown-outcome case.
      req.socket.destroy();
      logLine(`${detail} dropped after accept`, 0);
      return;
    }
    if (fault?.afterAccept === "hang") {
      logLine(`${detail} hanging after accept`, 0);
      return;
    }
    send(
      res,
      200,
      buildResponseEnvelope(operation, outcome.result, namespace, soapVersion),
      soapContentType(soapVersion),
    );
    logLine(detail, 200);
  } finally {
    ticket.release();
  }
}
