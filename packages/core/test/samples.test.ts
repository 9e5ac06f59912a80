/**
 * Protocol cases as fixture folders, in the style of node-soap's test/request-response-samples:
 * samples/<case>/case.json      the method and the request options as a user writes them
 * samples/<case>/request.xml    the exact envelope our client must put on the wire
 * samples/<case>/response.xml   what the server answers
 * samples/<case>/result.json    the typed result the client must return (dates as ISO strings), or
 * samples/<case>/error.json     the typed error it must throw.
 * `{{ns}}` stands for the namespace of the host being called (it follows the host).
 * Run with UPDATE_SAMPLES=1 to (re)write request.xml and result/error.json after reviewing a change.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmscClient, type SmscClient } from "../src/client.js";
import { SmscError } from "../src/errors.js";
import type { SmscMethod } from "../src/generated/index.js";
import { type RawServer, startRawServer, xml } from "./helpers/raw-server.js";

const SAMPLES = fileURLToPath(new URL("./samples", import.meta.url));
const UPDATE = process.env["UPDATE_SAMPLES"] === "1";

let server: RawServer;
let client: SmscClient;
let namespace: string;

beforeAll(async () => {
  server = await startRawServer([]);
  namespace = `${server.origin}/sys/soap.php`;
  client = createSmscClient({ login: "demo", psw: "demo-psw" }, { baseUrl: server.origin, fallbackUrls: [] });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

/** Every method through the client's typed `call` (the named methods are generated over it). */
function call(method: SmscMethod, request: Record<string, unknown>): Promise<unknown> {
  return client.call(method, request as never);
}

/** JSON with Dates as ISO strings, errors as their public fields and the server's origin as `{{origin}}`. */
function plain(value: unknown): unknown {
  const json = JSON.stringify(value instanceof SmscError ? value.toJSON() : value);
  return JSON.parse(json.replaceAll(server.origin, "{{origin}}"));
}

describe("request/response samples", () => {
  for (const name of readdirSync(SAMPLES).sort()) {
    const dir = join(SAMPLES, name);
    it(name, async () => {
      const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as {
        method: SmscMethod;
        request: Record<string, unknown>;
      };
      const response = readFileSync(join(dir, "response.xml"), "utf8").replaceAll("{{ns}}", namespace);
      server.script = [xml(response)];
      server.bodies.length = 0;
      const outcome = await call(spec.method, spec.request).then(
        (result) => ({ file: "result.json", value: plain(result) }),
        (error: unknown) => ({ file: "error.json", value: plain(error) }),
      );
      const sent = server.bodies[0] ?? "";
      if (UPDATE) {
        writeFileSync(join(dir, "request.xml"), `${sent.replaceAll(namespace, "{{ns}}")}\n`);
        writeFileSync(join(dir, outcome.file), `${JSON.stringify(outcome.value, null, 2)}\n`);
      }
      const expectedRequest = readFileSync(join(dir, "request.xml"), "utf8")
        .trimEnd()
        .replaceAll("{{ns}}", namespace);
      expect(sent).toBe(expectedRequest);
      expect(existsSync(join(dir, outcome.file)), `${name} expects the other outcome`).toBe(true);
      expect(outcome.value).toEqual(JSON.parse(readFileSync(join(dir, outcome.file), "utf8")));
    });
  }
});
