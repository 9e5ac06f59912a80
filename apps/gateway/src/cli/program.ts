import { readFileSync } from "node:fs";
import { SMSC_METHODS, type SmscMethod } from "@smsc-kit/core";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ConfigError } from "../config/errors.js";
import { runMethod, withCatalogFlags } from "./commands/api.js";
import { runSendList } from "./commands/send-list.js";
import { CliContext, type CliIo, type GlobalOptions } from "./context.js";
import { EXIT, exitCodeFor, exitCodeHelp } from "./exit-codes.js";

/** Long-running commands (sim, gateway, demo) plug in here; they resolve with an exit code when stopped. */
export interface ServiceCommands {
  register(program: Command, run: (action: (context: CliContext) => Promise<number>) => Promise<void>): void;
  /** `smsc sim [simulator flags]`, run with its arguments as given. */
  sim?: (context: CliContext, args: readonly string[]) => Promise<number>;
}

export interface RunCliOptions {
  /** Resolves when the user interrupts (first Ctrl-C / SIGTERM). */
  interrupted?: Promise<void>;
  services?: ServiceCommands;
}

function packageVersion(): string {
  // src/cli and dist/cli are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

/** Builds and runs the `smsc` program; resolves with the process exit code and never calls process.exit. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunCliOptions = {},
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("smsc")
    .version(packageVersion(), "-V, --version")
    .description("Send SMS through SMSC (smsc.ru), run the gateway, the simulator or the demo")
    .addOption(new Option("--json", "print results (and errors) as JSON on stdout"))
    .addOption(new Option("--config <file>", "gateway YAML config (credentials, base URL, store)"))
    .addOption(
      new Option(
        "--base-url <url>",
        "SMSC origin, e.g. http://127.0.0.1:8900 for the simulator (env SMSC_BASE_URL)",
      ),
    )
    .addOption(new Option("--timeout <ms>", "per-request timeout in milliseconds"))
    .addHelpText(
      "after",
      `\nCredentials: SMSC_LOGIN + SMSC_PSW, or SMSC_APIKEY, or smsc.login/psw/apikey in --config. They are never printed.\n\n${exitCodeHelp()}`,
    )
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError();

  const run = async (action: (context: CliContext) => Promise<number | undefined>): Promise<void> => {
    const context = new CliContext(io, program.opts<GlobalOptions>());
    try {
      exitCode = (await action(context)) ?? EXIT.ok;
    } catch (error) {
      exitCode = exitCodeFor(error);
      // A nested command line (the simulator's) has already printed its usage error or help.
      if (!(error instanceof CommanderError)) reportError(context, error, exitCode);
    }
  };

  // One subcommand per method of the spec, with the catalog's description and one flag per parameter.
  // `send` also takes --list (a CSV sent through a resumable local outbox).
  for (const method of Object.keys(SMSC_METHODS) as SmscMethod[]) {
    const command = program.command(method).description(SMSC_METHODS[method].description);
    if (method === "send") addSendListOptions(command);
    const flags = withCatalogFlags(command, method);
    command.action(async (values: Record<string, unknown>) => {
      await run(async (context) => {
        if (method === "send" && typeof values.list === "string") {
          return runSendList(context, flags, values, {
            file: values.list,
            campaign: typeof values.campaign === "string" ? values.campaign : undefined,
            outboxFile: typeof values.outbox === "string" ? values.outbox : undefined,
            concurrency: Number(values.concurrency),
            perRequest: values.perRequest === undefined ? undefined : Number(values.perRequest),
            interrupted: options.interrupted ?? new Promise(() => {}),
          });
        }
        await runMethod(context, method, flags, values);
        return EXIT.ok;
      });
    });
  }

  options.services?.register(program, run);

  // `smsc sim …` hands every argument to the simulator's own command line untouched (its --config is the
  // simulator's file, not the gateway's), so it bypasses this program's option parsing.
  if (argv[0] === "sim" && options.services?.sim) {
    const sim = options.services.sim;
    await run((context) => sim(context, argv.slice(1)));
    return exitCode;
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; anything else is a usage mistake.
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    }
    throw error;
  }
  return exitCode;
}

function addSendListOptions(send: Command): void {
  send
    .addOption(
      new Option(
        "--list <file>",
        "CSV with a header row: phone column plus text column, or --mes as a template with {column}",
      ),
    )
    .addOption(new Option("--outbox <file>", "outbox SQLite file for --list (default: <file>.outbox.sqlite)"))
    .addOption(
      new Option(
        "--campaign <name>",
        "campaign of --list, part of each row's idempotency key (default: file name)",
      ),
    )
    .addOption(
      new Option("--concurrency <n>", "parallel requests for --list").default(4).argParser(positiveInt),
    )
    .addOption(
      new Option(
        "--per-request <n>",
        "most messages of --list in one request (1: one per request; default: the catalog's limits)",
      ).argParser(positiveInt),
    );
}

function reportError(context: CliContext, error: unknown, exitCode: number): void {
  const err = error instanceof Error ? error : new Error(String(error));
  const payload: Record<string, unknown> = { exitCode, name: err.name, message: err.message };
  for (const key of [
    "field",
    "rule",
    "smscError",
    "code",
    "errorClass",
    "outcome",
    "method",
    "text",
  ] as const) {
    const value = (err as unknown as Record<string, unknown>)[key];
    if (value !== undefined) payload[key] = value;
  }
  if (error instanceof ConfigError) payload.problems = error.problems;
  context.output.error(payload, err.message);
}
