import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeOperation } from "./fixtures/remove-operation.js";
import { REPO_ROOT, removeDir } from "./helpers/mini-spec.js";
import { type ScratchWorkspace, scratchWorkspace, writeCheckConfig } from "./helpers/workspace.js";

// Type-level proof that the client surface follows the spec: once get_balance is gone from spec/, code that
// still calls it no longer compiles, while the rest of the package and code calling other methods do.

const execFileAsync = promisify(execFile);
const TSC = path.join(REPO_ROOT, "node_modules/.bin/tsc");

let ws: ScratchWorkspace;

beforeAll(async () => {
  ws = await scratchWorkspace("no-balance", (spec) => removeOperation(spec, "get_balance"));
}, 120_000);

afterAll(async () => {
  if (ws) await removeDir(ws.root);
});

async function compile(name: string, source: string): Promise<{ code: number; output: string }> {
  const dir = path.join(ws.root, `check-${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "usage.ts"), source);
  const config = await writeCheckConfig(dir, ws.root, ["usage.ts"]);
  return execFileAsync(TSC, ["-p", config]).then(
    () => ({ code: 0, output: "" }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
}

const HEADER = `import { createSmscClient } from "../packages/core/src/index.js";
const client = createSmscClient({ login: "demo", psw: "demo" });
`;

describe("removing an operation from the spec", () => {
  it("makes code that still calls it fail to compile, naming the method", async () => {
    const result = await compile("balance", `${HEADER}export const balance = client.balance();\n`);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/usage\.ts\(3,\d+\): error TS2339: Property 'balance' does not exist/);
    const viaCall = await compile("call", `${HEADER}export const balance = client.call("balance");\n`);
    expect(viaCall.code).not.toBe(0);
    expect(viaCall.output).toMatch(/usage\.ts\(3,\d+\): error TS2345: Argument of type '"balance"'/);
  }, 120_000);

  it("leaves the package and calls of the remaining methods compiling", async () => {
    const result = await compile(
      "status",
      `${HEADER}export const status = client.status({ id: "1", phone: "79990000001" });\nexport * from "../packages/core/src/index.js";\n`,
    );
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);
});
