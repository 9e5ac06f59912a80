import type { Command } from "commander";
import { runDemo } from "./commands/demo.js";
import { runGateway } from "./commands/gateway.js";
import { runSim } from "./commands/sim.js";
import type { ServiceCommands } from "./program.js";

/** The long-running commands: they run until `interrupted` resolves (first Ctrl-C or SIGTERM). */
export function serviceCommands(interrupted: Promise<void>): ServiceCommands {
  return {
    sim: (context, args) => runSim(context, args, interrupted),
    register(program: Command, run) {
      program
        .command("sim")
        .description("start the SMSC simulator (flags: smsc sim --help)")
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .argument("[args...]")
        .action(async (args: string[]) => {
          await run((context) => runSim(context, args, interrupted));
        });

      program
        .command("gateway")
        .description("run the gateway (SMTP relay, webhook, outbox workers, status page) from --config")
        .option("--check", "validate the config (file plus environment overrides) and exit")
        .action(async (options: { check?: boolean }) => {
          await run((context) => runGateway(context, interrupted, { checkOnly: options.check === true }));
        });

      program
        .command("demo")
        .description("simulator + gateway on embedded defaults; walks one e-mail to a delivered SMS")
        .option("--once", "exit after the walkthrough instead of running until Ctrl-C")
        .option("--http-port <port>", "status page / webhook port (busy → any free port)", "8080")
        .option("--smtp-port <port>", "SMTP relay port (busy → any free port)", "2525")
        .option("--sim-port <port>", "simulator port (busy → any free port)", "8900")
        .option("--data <file>", "SQLite file (default: a fresh file in the temp directory)")
        .action(async (options: Record<string, string | boolean | undefined>) => {
          await run((context) =>
            runDemo(context, {
              once: options.once === true,
              httpPort: Number(options.httpPort),
              smtpPort: Number(options.smtpPort),
              simPort: Number(options.simPort),
              dataFile: typeof options.data === "string" ? options.data : undefined,
              interrupted,
            }),
          );
        });
    },
  };
}
