import { runSimulatorCli } from "@smsc-kit/simulator";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";

/** `smsc sim [simulator flags]`: the simulator's own command line, stopped by the first SIGTERM/Ctrl-C. */
export async function runSim(
  context: CliContext,
  args: readonly string[],
  interrupted: Promise<void>,
): Promise<number> {
  const simulator = await runSimulatorCli(["node", "smsc sim", ...args], {
    out: (line) => context.io.stdout.write(`${line}\n`),
    err: (line) => context.io.stderr.write(`${line}\n`),
    handleSignals: false,
  });
  await interrupted;
  await simulator.close();
  return EXIT.ok;
}
