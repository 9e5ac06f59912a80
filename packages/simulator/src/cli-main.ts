import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import type { AccountConfig } from "./accounts.js";
import { DEFAULT_ACCOUNT } from "./accounts.js";
import { loadSimulatorConfig } from "./config.js";
import { parseFaultSpec } from "./faults.js";
import { type LatencyProfile, LatencyProfileError, parseLatencySpec } from "./latency.js";
import { isKnownErrorCode } from "./protocol.js";
import { type RunningSimulator, type SimulatorOptions, startSimulator } from "./simulator.js";

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Install SIGINT/SIGTERM handlers that close the simulator (default true). */
  handleSignals?: boolean;
}

function packageVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a non-negative integer");
  return n;
}

/** `login:psw[:apikey[:balance]]`; an empty apikey part means none. */
function parseAccountFlag(value: string): AccountConfig {
  const [login = "", psw = "", apikey = "", balance] = value.split(":");
  if (login === "" || psw === "") {
    throw new InvalidArgumentError(
      "--account must be login:psw[:apikey[:balance]] with a login and a password",
    );
  }
  const account: AccountConfig = { login, psw };
  if (apikey !== "") account.apikey = apikey;
  if (balance !== undefined) {
    const amount = Number(balance);
    if (!Number.isFinite(amount) || amount < 0)
      throw new InvalidArgumentError("--account balance must be a number ≥ 0");
    account.balance = amount;
  }
  return account;
}

function latencyFlag(value: string) {
  try {
    return parseLatencySpec(value, "--latency");
  } catch (error) {
    if (error instanceof LatencyProfileError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `smsc-sim` / `pnpm sim`: start the simulator and run until SIGINT/SIGTERM. Flags override the
 * config file. Returns the running simulator so an embedding program (the gateway) can close it.
 */
export async function runSimulatorCli(
  argv: readonly string[] = process.argv,
  io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<RunningSimulator> {
  const program = new Command("smsc-sim")
    .description("A faithful SMSC SOAP simulator for tests and demos")
    .version(packageVersion())
    .option("--port <port>", "TCP port (default 8900; 0 picks a free one)", integer)
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--config <file>", "YAML config (accounts, rules, faults, callbacks)")
    .option(
      "--account <login:psw[:apikey[:balance]]>",
      "an account (repeatable; added to the config file's, replaces the default demo account)",
      collect,
      [],
    )
    .option("--callback-url <url>", "status handler URL of every account without one")
    .option("--callback-secret <secret>", "signing secret for callbacks (or env SMSC_SIM_CALLBACK_SECRET)")
    .option("--callback-duplicate", "send every callback twice")
    .option("--callback-reorder", "send intermediate statuses after the final one")
    .option("--no-rate-limits", "switch every catalog rate/abuse rule off (load tests)")
    .option("--disable-rule <id>", "switch one catalog rate rule off (repeatable)", collect, [])
    .option(
      "--fault <spec>",
      'fault rule, e.g. "operation=send_sms;http=503;times=1" (repeatable)',
      collect,
      [],
    )
    .option(
      "--latency <MIN-MAX>",
      "wait MIN..MAX ms (uniform) before answering every SOAP request, e.g. 100-300 (load tests)",
      latencyFlag,
    )
    .option("--handoff-ms <ms>", "time until status 0 (handed to operator)", integer)
    .option("--delivery-ms <ms>", "time from status 0 to the final status", integer)
    .option("--max-messages <n>", "most messages kept; the oldest final ones are forgotten first", integer)
    .option(
      "--headers-timeout-ms <ms>",
      "longest a client may take to send its headers (default 10000)",
      integer,
    )
    .option(
      "--request-timeout-ms <ms>",
      "longest a client may take to send its whole request (default 30000)",
      integer,
    )
    .option("--quiet", "no per-request log lines")
    .option("--no-inspector", "do not serve the inspector under /_sim/")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program.parse([...argv], { from: "node" });
  const flags = program.opts<{
    port?: number;
    host?: string;
    config?: string;
    account: string[];
    callbackUrl?: string;
    callbackSecret?: string;
    callbackDuplicate?: boolean;
    callbackReorder?: boolean;
    rateLimits: boolean;
    disableRule: string[];
    fault: string[];
    handoffMs?: number;
    deliveryMs?: number;
    maxMessages?: number;
    headersTimeoutMs?: number;
    requestTimeoutMs?: number;
    latency?: LatencyProfile;
    quiet?: boolean;
    inspector: boolean;
  }>();

  const options: SimulatorOptions = flags.config ? loadSimulatorConfig(flags.config) : {};
  options.port = flags.port ?? options.port ?? 8900;
  options.host = flags.host ?? options.host ?? "127.0.0.1";
  const secret = flags.callbackSecret ?? process.env["SMSC_SIM_CALLBACK_SECRET"];
  const flagAccounts = flags.account.map(parseAccountFlag);
  let accounts: AccountConfig[] =
    options.accounts !== undefined || flagAccounts.length > 0
      ? [...(options.accounts ?? []), ...flagAccounts]
      : [{ ...DEFAULT_ACCOUNT }];
  if (flags.callbackUrl !== undefined) {
    const url = flags.callbackUrl;
    accounts = accounts.map((a) =>
      a.callback ? a : { ...a, callback: secret === undefined ? { url } : { url, secret } },
    );
  }
  options.accounts = accounts;
  const rules = { ...(options.rules ?? {}) };
  if (!flags.rateLimits) rules.rateLimits = false;
  else if (flags.disableRule.length > 0) {
    const switches = typeof rules.rateLimits === "object" ? { ...rules.rateLimits } : {};
    for (const id of flags.disableRule) switches[id] = false;
    rules.rateLimits = switches;
  }
  if (flags.handoffMs !== undefined || flags.deliveryMs !== undefined) {
    rules.lifecycle = { ...(rules.lifecycle ?? {}) };
    if (flags.handoffMs !== undefined) rules.lifecycle.handoffMs = flags.handoffMs;
    if (flags.deliveryMs !== undefined) rules.lifecycle.deliveryMs = flags.deliveryMs;
  }
  options.rules = rules;
  options.faults = [
    ...(options.faults ?? []),
    ...flags.fault.map((spec) => parseFaultSpec(spec, isKnownErrorCode)),
  ];
  if (flags.callbackDuplicate || flags.callbackReorder) {
    options.callbacks = { ...(options.callbacks ?? {}) };
    if (flags.callbackDuplicate) options.callbacks.duplicate = true;
    if (flags.callbackReorder) options.callbacks.reorder = true;
  }
  if (flags.maxMessages !== undefined) options.maxMessages = flags.maxMessages;
  if (flags.headersTimeoutMs !== undefined || flags.requestTimeoutMs !== undefined) {
    options.timeouts = { ...(options.timeouts ?? {}) };
    if (flags.headersTimeoutMs !== undefined) options.timeouts.headersMs = flags.headersTimeoutMs;
    if (flags.requestTimeoutMs !== undefined) options.timeouts.requestMs = flags.requestTimeoutMs;
  }
  if (flags.latency !== undefined) options.latency = flags.latency;
  if (!flags.quiet) options.log = (line) => io.out(line);
  if (!flags.inspector) options.httpInspector = false;

  const simulator = await startSimulator(options);
  io.out(`SMSC simulator ready: ${simulator.wsdlUrl}`);
  io.out(`accounts: ${accounts.map((a) => a.login).join(", ")}`);
  if (options.latency !== undefined)
    io.out(`latency: ${options.latency.minMs}-${options.latency.maxMs} ms per request`);
  if (options.httpInspector !== false) io.out(`inspector: ${new URL(simulator.url).origin}/_sim/messages`);
  if (io.handleSignals ?? true) {
    const stop = (signal: string) => {
      io.out(`${signal}: closing`);
      void simulator.close().then(() => process.exit(0));
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  }
  return simulator;
}
