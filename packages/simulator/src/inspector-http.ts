import type { IncomingMessage, ServerResponse } from "node:http";
import { faultRuleSchema } from "./config.js";
import { FaultRuleError } from "./faults.js";
import { refuseCrossSite } from "./inspector-guard.js";
import type { SimulatorInspector } from "./simulator.js";

/**
 * The inspector over HTTP, under `/_sim/`, for a simulator started from the command line (tests in
 * another process or language cannot reach the in-process inspector):
 *   GET  /_sim/messages[?id=&phone=]   GET /_sim/callbacks   GET /_sim/counters   GET /_sim/faults
 *   POST /_sim/reset   POST /_sim/advance?ms=N   POST /_sim/faults (JSON fault rule)   DELETE /_sim/faults
 * State-changing routes refuse cross-site requests (inspector-guard.ts).
 */
export const INSPECTOR_PREFIX = "/_sim/";

const MAX_JSON_BYTES = 64 * 1024;

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function problem(res: ServerResponse, status: number, field: string, rule: string, message: string): void {
  json(res, status, { error: { field, rule, message } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES)
      throw new FaultRuleError("body", "size", `body larger than ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new FaultRuleError("body", "json", "body is not JSON");
  }
}

export async function handleInspectorRequest(
  inspector: SimulatorInspector,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const route = `${req.method} ${path.slice(INSPECTOR_PREFIX.length)}`;
  const refusal = refuseCrossSite(req.method, req.headers, route === "POST faults");
  if (refusal !== undefined) {
    req.resume();
    problem(res, refusal.status, refusal.field, refusal.rule, refusal.message);
    return;
  }
  switch (route) {
    case "GET messages": {
      const id = query.get("id");
      const phone = query.get("phone");
      if (id !== null && phone !== null) {
        const message = inspector.message(id, phone);
        if (message === undefined) problem(res, 404, "id", "exists", `no message ${id} for ${phone}`);
        else json(res, 200, message);
        return;
      }
      json(res, 200, inspector.messages());
      return;
    }
    case "GET callbacks":
      json(res, 200, inspector.callbacks());
      return;
    case "GET counters":
      json(res, 200, inspector.counters());
      return;
    case "GET faults":
      json(res, 200, inspector.faults());
      return;
    case "POST reset":
      inspector.reset();
      json(res, 200, { now: inspector.now().toISOString() });
      return;
    case "POST advance": {
      const ms = Number(query.get("ms"));
      if (!Number.isFinite(ms) || ms < 0) {
        problem(res, 400, "ms", "non-negative", "ms must be a number of milliseconds ≥ 0");
        return;
      }
      inspector.advance(ms);
      json(res, 200, { now: inspector.now().toISOString() });
      return;
    }
    case "POST faults": {
      try {
        const parsed = faultRuleSchema.safeParse(await readJson(req));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.join(".") || "fault";
          problem(res, 400, field, issue.code, `${field}: ${issue.message}`);
          return;
        }
        inspector.setFault(parsed.data);
        json(res, 201, inspector.faults());
      } catch (error) {
        if (!(error instanceof FaultRuleError)) throw error;
        problem(res, 400, error.field, error.rule, error.message);
      }
      return;
    }
    case "DELETE faults":
      inspector.clearFaults();
      json(res, 200, []);
      return;
    default:
      problem(res, 404, "path", "route", `no inspector route ${route}`);
  }
}
