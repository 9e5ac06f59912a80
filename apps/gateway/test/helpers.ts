import { PassThrough } from "node:stream";
import { runCli } from "../src/cli/program.js";
import { serviceCommands } from "../src/cli/services.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `smsc` program in-process with captured output and the given environment only. Long-running
 * commands stop when `interrupted` resolves (at once by default).
 */
export async function smsc(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  interrupted: Promise<void> = Promise.resolve(),
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const code = await runCli(
    argv,
    { stdout, stderr, env, isTty: false },
    { interrupted, services: serviceCommands(interrupted) },
  );
  return { code, stdout: out, stderr: err };
}
