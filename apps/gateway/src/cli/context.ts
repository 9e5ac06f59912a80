import type { Writable } from "node:stream";
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { loadConfig } from "../config/load.js";
import type { GatewayConfig } from "../config/schema.js";
import { type CliCredentials, resolveCredentials, secretValues } from "./credentials.js";
import { CliOutput } from "./output.js";

/** What a command needs from the outside world; tests pass their own streams and environment. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress bars redraw one line only then). */
  isTty: boolean;
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  json?: boolean;
  config?: string;
  baseUrl?: string;
  timeout?: string;
}

export class CliContext {
  readonly output: CliOutput;
  private configPromise: Promise<GatewayConfig> | undefined;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalOptions,
  ) {
    this.output = new CliOutput(globals.json === true, io.stdout, io.stderr);
    // Scrub the environment's secrets from everything printed, whether or not this command uses them.
    this.output.addSecrets([io.env.SMSC_PSW ?? "", io.env.SMSC_APIKEY ?? ""].filter(Boolean));
  }

  config(): Promise<GatewayConfig> {
    this.configPromise ??= loadConfig({
      ...(this.globals.config !== undefined ? { file: this.globals.config } : {}),
      env: this.io.env,
      onWarning: (message) => this.io.stderr.write(`warning: ${message}\n`),
    });
    return this.configPromise;
  }

  async credentials(): Promise<CliCredentials> {
    const credentials = resolveCredentials(this.io.env, await this.config());
    this.output.addSecrets(secretValues(credentials));
    return credentials;
  }

  async baseUrl(): Promise<string> {
    return this.globals.baseUrl ?? this.io.env.SMSC_BASE_URL ?? (await this.config()).smsc.baseUrl;
  }

  async client(): Promise<SmscClient> {
    const credentials = await this.credentials();
    const timeout = this.globals.timeout !== undefined ? Number(this.globals.timeout) : undefined;
    return createSmscClient(credentials, {
      baseUrl: await this.baseUrl(),
      // A command line talks to one host the user chose; no silent failover to another.
      fallbackUrls: [],
      ...(timeout !== undefined && Number.isFinite(timeout) ? { timeoutMs: timeout } : {}),
    });
  }
}
