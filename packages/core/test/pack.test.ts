/**
 * Proof that a consuming team gets working code and types, not only the workspace: pack the package,
 * install the tarball into a scratch project outside the workspace (npm, registry reachable, so zod,
 * fast-xml-parser and undici must install), run an ESM program with plain `node` against a loopback
 * HTTP server, and typecheck a usage file with the workspace's tsc in strict NodeNext mode.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildResponseEnvelope } from "../src/soap/envelope.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const TSC = fileURLToPath(new URL("../../../node_modules/.bin/tsc", import.meta.url));

let scratch: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "smsc-core-consumer-"));
  execFileSync("pnpm", ["exec", "tsc", "-b"], { cwd: PACKAGE_DIR, stdio: "pipe" });
  execFileSync("pnpm", ["pack", "--pack-destination", scratch], { cwd: PACKAGE_DIR, stdio: "pipe" });
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
  if (tarball === undefined) throw new Error("pnpm pack produced no tarball");
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `./${tarball}`], {
    cwd: scratch,
    stdio: "pipe",
    timeout: 180_000,
  });
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/xml; charset=utf-8" });
      response.end(buildResponseEnvelope("get_balance", { balance: "123.45" }, `${origin}/sys/soap.php`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe("the packed @smsc-kit/core", () => {
  it("runs with plain node as an ESM dependency", async () => {
    writeFileSync(
      join(scratch, "program.mjs"),
      [
        'import { createSmscClient, segments, encodeQuery } from "@smsc-kit/core";',
        'const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: process.argv[2] });',
        "const balance = await client.balance();",
        "await client.close();",
        'console.log(JSON.stringify({ balance: balance.balance, parts: segments("ж".repeat(71)).parts, q: encodeQuery({ time: "+5" }) }));',
      ].join("\n"),
    );
    // Asynchronous: the loopback server answering the program runs in this process.
    const { stdout } = await promisify(execFile)("node", ["program.mjs", origin], {
      cwd: scratch,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ balance: 123.45, parts: 2, q: "time=%2B5" });
  });

  it("typechecks a usage file with tsc in strict NodeNext mode", () => {
    writeFileSync(
      join(scratch, "usage.ts"),
      [
        'import { createSmscClient, SmscApiError, type SendResult, type SmscClient } from "@smsc-kit/core";',
        'const client: SmscClient = createSmscClient({ apikey: "k" }, { timeoutMs: 1000 });',
        "export async function run(): Promise<string> {",
        "  try {",
        '    const sent: SendResult = await client.send({ phones: ["79990000000"], mes: "hi", translit: 1 });',
        "    return sent.id;",
        "  } catch (error) {",
        "    if (error instanceof SmscApiError) return error.method + String(error.code) + error.errorClass;",
        "    throw error;",
        "  }",
        "}",
        "// @ts-expect-error phones is required",
        'void client.send({ mes: "no phones" });',
      ].join("\n"),
    );
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["usage.ts"],
      }),
    );
    const run = () =>
      execFileSync(TSC, ["-p", "tsconfig.json"], { cwd: scratch, encoding: "utf8", stdio: "pipe" });
    expect(run).not.toThrow();
    // The check is real: a wrong type in the usage file fails it.
    writeFileSync(
      join(scratch, "bad.ts"),
      'import { segments } from "@smsc-kit/core";\nconst n: string = segments("x").parts;\nvoid n;\n',
    );
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["bad.ts"],
      }),
    );
    expect(run).toThrow();
  });
});
