import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { LatencyProfileError, parseLatencySpec } from "./latency.js";
import type { SimulatorOptions } from "./simulator.js";

/**
 * The simulator's config file (YAML): everything `startSimulator` accepts that can be written as
 * data. Unknown keys are errors, so a typo names its path instead of being ignored.
 */
const callbackTarget = z.strictObject({ url: z.url(), secret: z.string().optional() });

const account = z.strictObject({
  login: z.string().min(1),
  psw: z.string(),
  apikey: z.string().min(1).optional(),
  balance: z.number().nonnegative().optional(),
  prices: z.record(z.string(), z.number().nonnegative()).optional(),
  callback: callbackTarget.optional(),
  senders: z.array(z.string()).optional(),
});

const phoneRule = z.strictObject({
  prefix: z.string().min(1),
  status: z.number().int().optional(),
  err: z.number().int().nonnegative().optional(),
  sendError: z.number().int().positive().optional(),
  unreachable: z.boolean().optional(),
  handoffMs: z.number().nonnegative().optional(),
  deliveryMs: z.number().nonnegative().optional(),
  operator: z.string().optional(),
  region: z.string().optional(),
});

export const faultRuleSchema = z.strictObject({
  match: z
    .strictObject({
      operation: z.union([z.string(), z.array(z.string())]).optional(),
      login: z.string().optional(),
      phonePrefix: z.string().optional(),
    })
    .optional(),
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  latencyMs: z.number().nonnegative().optional(),
  httpStatus: z.number().int().min(400).max(599).optional(),
  soapFault: z.string().optional(),
  afterAccept: z.enum(["hang", "drop"]).optional(),
  error: z.number().int().positive().optional(),
});

export const simulatorConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  accounts: z.array(account).min(1).optional(),
  rules: z
    .strictObject({
      rateLimits: z.union([z.boolean(), z.record(z.string(), z.boolean())]).optional(),
      lifecycle: z
        .strictObject({
          handoffMs: z.number().nonnegative().optional(),
          deliveryMs: z.number().nonnegative().optional(),
        })
        .optional(),
      phones: z.array(phoneRule).optional(),
    })
    .optional(),
  faults: z.array(faultRuleSchema).optional(),
  callbacks: z
    .strictObject({
      retryDelaysMs: z.array(z.number().nonnegative()).min(1).optional(),
      maxAttempts: z.number().int().positive().optional(),
      timeoutMs: z.number().positive().optional(),
      duplicate: z.union([z.boolean(), z.number().min(0).max(1)]).optional(),
      reorder: z.boolean().optional(),
      statuses: z.enum(["all", "final"]).optional(),
      maxConcurrent: z.number().int().positive().optional(),
    })
    .optional(),
  clock: z.strictObject({ start: z.string().optional(), frozen: z.boolean().optional() }).optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  maxMessages: z.number().int().positive().optional(),
  timeouts: z
    .strictObject({
      headersMs: z.number().int().positive().optional(),
      requestMs: z.number().int().positive().optional(),
    })
    .optional(),
  httpInspector: z.boolean().optional(),
  /** `"100-300"` (ms, uniform per request) or `{ minMs: 100, maxMs: 300 }`. */
  latency: z
    .union([
      z.string(),
      z.number().int().nonnegative(),
      z.strictObject({ minMs: z.number().int().nonnegative(), maxMs: z.number().int().nonnegative() }),
    ])
    .optional(),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export class ConfigFileError extends Error {
  constructor(
    readonly path: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ConfigFileError";
  }
}

/** Parses config text; the error names the file, the field path and the rule broken. */
export function parseSimulatorConfig(text: string, source = "config"): SimulatorOptions {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigFileError(source, "", `${source}: not valid YAML (${(error as Error).message})`);
  }
  const parsed = simulatorConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    throw new ConfigFileError(source, field, `${source}: ${field || "(root)"}: ${issue.message}`);
  }
  const { clock, latency, ...rest } = parsed.data;
  const options: SimulatorOptions = { ...rest } as SimulatorOptions;
  if (latency !== undefined) {
    try {
      options.latency =
        typeof latency === "object"
          ? parseLatencySpec(`${latency.minMs}-${latency.maxMs}`)
          : parseLatencySpec(String(latency));
    } catch (error) {
      if (!(error instanceof LatencyProfileError)) throw error;
      throw new ConfigFileError(source, error.field, `${source}: ${error.message}`);
    }
  }
  if (clock !== undefined) {
    options.clock = { frozen: clock.frozen ?? false };
    if (clock.start !== undefined) options.clock.start = new Date(clock.start);
  }
  return options;
}

export function loadSimulatorConfig(path: string): SimulatorOptions {
  return parseSimulatorConfig(readFileSync(path, "utf8"), path);
}
