#!/usr/bin/env node
import { runCli } from "./cli/program.js";
import { serviceCommands } from "./cli/services.js";

/**
 * The `smsc` executable (dist/cli.js; `tsx src/cli.ts` works too). The first Ctrl-C / SIGTERM asks the running
 * command to stop cleanly (release in-flight work, print a summary); a second one exits at once.
 */
let interrupt: () => void = () => {};
const interrupted = new Promise<void>((resolve) => {
  interrupt = resolve;
});
let signals = 0;
const onSignal = () => {
  signals++;
  if (signals > 1) process.exit(130);
  interrupt();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTty: process.stderr.isTTY === true,
  },
  { interrupted, services: serviceCommands(interrupted) },
);
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);
process.exitCode = code;
// Libraries may keep handles (pools, timers) alive after a one-shot command; the command is over.
setTimeout(() => process.exit(code), 200).unref();
