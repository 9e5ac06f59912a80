import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addGetOperator } from "./fixtures/get-operator.js";
import { REPO_ROOT, removeDir } from "./helpers/mini-spec.js";
import { type ScratchWorkspace, scratchWorkspace, writeCheckConfig } from "./helpers/workspace.js";

// The promise of spec/: SMSC publishes get_operator under a method the kit has never seen, the user adds it
// to smsc.wsdl and catalog.yaml (and nothing else), regenerates, and the client, the simulator and the CLI
// all offer it. Everything runs from a scratch copy of the repository's sources.

const execFileAsync = promisify(execFile);
const TSC = path.join(REPO_ROOT, "node_modules/.bin/tsc");
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");

let ws: ScratchWorkspace;
let check: string;

beforeAll(async () => {
  ws = await scratchWorkspace("get-operator", (spec) => addGetOperator(spec));
  check = path.join(ws.root, "check");
  await mkdir(check, { recursive: true });
}, 120_000);

afterAll(async () => {
  if (ws) await removeDir(ws.root);
});

async function tsc(files: Record<string, string>): Promise<{ code: number; output: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(check, name), text);
  const config = await writeCheckConfig(check, ws.root, Object.keys(files));
  return execFileAsync(TSC, ["-p", config]).then(
    () => ({ code: 0, output: "" }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
}

describe("an 8th operation under a new method, added in spec/ only", () => {
  it("generates a client whose new method is typed (and the whole package still compiles)", async () => {
    const usage = `import { createSmscClient, type OperatorRequest, type OperatorResult, SMSC_METHODS } from "../packages/core/src/index.js";

const client = createSmscClient({ login: "demo", psw: "demo" });
const request: OperatorRequest = { phone: "79990000001" };
export const pending: Promise<OperatorResult> = client.operator(request);
export async function fields(): Promise<string | undefined> {
  const result = await client.operator({ phone: "79990000001" });
  const mcc: string | undefined = result.mcc;
  const region: string | undefined = result.region;
  return mcc ?? region;
}
export const viaCall: Promise<OperatorResult> = client.call("operator", { phone: "79990000001" });
export const idempotent: true = SMSC_METHODS.operator.idempotent;
// @ts-expect-error phone is required by the WSDL
client.operator({});
// @ts-expect-error mes is not a parameter of get_operator
client.operator({ phone: "79990000001", mes: "hi" });
// @ts-expect-error mcc is a string, not a number
export const wrong: Promise<number | undefined> = client.operator(request).then((r) => r.mcc);
`;
    const result = await tsc({
      "usage.ts": usage,
      "core.ts": 'export * from "../packages/core/src/index.js";\n',
    });
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("the client calls it over real HTTP and the simulator answers from the catalog", async () => {
    const script = `import { createSmscClient, SmscApiError, SmscValidationError } from "../packages/core/src/index.js";
import { startSimulator } from "../packages/simulator/src/index.js";
import { createRequire } from "node:module";

const sim = await startSimulator({ port: 0 });
// node-soap (the simulator's dev dependency) reads the new operation from the WSDL the simulator serves.
const soap = createRequire(new URL("../packages/simulator/package.json", import.meta.url))("soap");
const origin = new URL(sim.url).origin;
const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: origin, fallbackUrls: [] });
const wrong = createSmscClient({ login: "demo", psw: "nope" }, { baseUrl: origin, fallbackUrls: [], retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
const out: Record<string, unknown> = {};
try {
  const { raw, ...decoded } = await client.operator({ phone: "79990000001" });
  out.decoded = decoded;
  out.raw = raw;
  const foreign = await soap.createClientAsync(sim.wsdlUrl);
  const [answer] = await foreign.get_operatorAsync({ login: "demo", psw: "demo", phone: "79990000003" });
  out.nodeSoap = answer;
  try { await wrong.operator({ phone: "79990000001" }); } catch (e) { out.auth = e instanceof SmscApiError ? [e.code, e.errorClass] : String(e); }
  try { await client.operator({ phone: "" }); } catch (e) { out.invalid = e instanceof SmscValidationError ? e.issues[0]?.field : String(e); }
  const limited: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    try { await client.operator({ phone: "79990000001" }); } catch (e) { limited.push(e instanceof SmscApiError ? [e.code, e.errorClass] : String(e)); }
  }
  out.limited = limited;
} finally {
  await client.close();
  await wrong.close();
  await sim.close();
}
console.log(JSON.stringify(out));
`;
    await writeFile(path.join(check, "call.ts"), script);
    const { stdout } = await execFileAsync(TSX, [path.join(check, "call.ts")], { cwd: ws.root });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    // The operation's catalog example, as the simulator answers a method it has no behaviour for.
    const answer = { operator: "MTS", region: "Moscow", mcc: "250", mnc: "01" };
    expect(out.decoded).toEqual(answer);
    expect(out.raw).toEqual(answer);
    expect(out.auth).toEqual([2, "auth"]);
    expect(out.invalid).toBe("phone");
    // A foreign SOAP client finds the new operation in the WSDL the simulator serves.
    expect(out.nodeSoap).toEqual({ operatorresult: answer });
    // operator-polling: ten requests a minute; the client's and node-soap's first calls were two of them.
    expect(out.limited).toEqual([
      [9, "rate_limited"],
      [9, "rate_limited"],
    ]);
  }, 120_000);

  it("the CLI offers it as a subcommand with the catalog's help and flags, and runs it", async () => {
    const cli = path.join(ws.root, "apps/gateway/src/cli.ts");
    const help = await execFileAsync(TSX, [cli, "operator", "--help"], { cwd: ws.root });
    expect(help.stdout).toContain("The operator and region a phone number belongs to.");
    expect(help.stdout).toMatch(/--phone <value>/);
    const runSim = `import { startSimulator } from "../packages/simulator/src/index.js";
const sim = await startSimulator({ port: 0 });
console.log(new URL(sim.url).origin);
process.on("SIGTERM", () => { void sim.close().then(() => process.exit(0)); });
`;
    await writeFile(path.join(check, "sim.ts"), runSim);
    const { spawn } = await import("node:child_process");
    const child = spawn(TSX, [path.join(check, "sim.ts")], {
      cwd: ws.root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
        child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
      });
      const env = { ...process.env, SMSC_LOGIN: "demo", SMSC_PSW: "demo" };
      const json = await execFileAsync(
        TSX,
        [cli, "--base-url", origin, "--json", "operator", "--phone", "79990000001"],
        { cwd: ws.root, env },
      );
      expect(JSON.parse(json.stdout)).toEqual({ operator: "MTS", region: "Moscow", mcc: "250", mnc: "01" });
      const human = await execFileAsync(
        TSX,
        [cli, "--base-url", origin, "operator", "--phone", "79990000002"],
        {
          cwd: ws.root,
          env,
        },
      );
      expect(human.stdout).toBe("operator: MTS\nregion: Moscow\nmcc: 250\nmnc: 01\n");
    } finally {
      child.kill("SIGTERM");
    }
  }, 120_000);
});
