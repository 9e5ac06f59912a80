import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { applyEnvOverrides } from "./env.js";
import { ConfigError, type ConfigProblem } from "./errors.js";
import { looseModeWarning } from "./file-mode.js";
import { type GatewayConfig, gatewayConfigSchema } from "./schema.js";

export interface LoadConfigOptions {
  /** Path of the YAML file; without it only defaults and the environment apply. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Told about a config that starts but should not stay so (a secret in a file others can read). Default: stderr. */
  onWarning?: (message: string) => void;
}

/** Reads, overrides from the environment and validates the gateway configuration. Throws `ConfigError`. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<GatewayConfig> {
  let raw: unknown = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = await readFile(options.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new ConfigError([{ path: "", rule: `cannot read config file (${code})`, source: options.file }]);
    }
    raw = parseConfigText(text, options.file);
    const warning = await looseModeWarning(options.file, raw).catch(() => undefined);
    if (warning !== undefined) {
      (options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`)))(warning);
    }
  }
  return validateConfig(raw, options.env ?? process.env, options.file);
}

export function parseConfigText(text: string, source = "config"): unknown {
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError([
      { path: "", rule: `not valid YAML: ${(error as Error).message.split("\n")[0]}`, source },
    ]);
  }
}

/** Validates an already-parsed config object (plus environment overrides). Throws `ConfigError`. */
export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv = {}, source = "config"): GatewayConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ path: "", rule: "the config must be a YAML mapping", source }]);
  }
  const overridden = applyEnvOverrides(raw as Record<string, unknown>, env, gatewayConfigSchema);
  if (overridden.problems.length > 0) throw new ConfigError(overridden.problems);
  const parsed = gatewayConfigSchema.safeParse(overridden.config);
  if (!parsed.success) {
    throw new ConfigError(describeIssues(parsed.error.issues, overridden.sources, source));
  }
  return parsed.data;
}

function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  sources: ReadonlyMap<string, string>,
  fileSource: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          path: base ? `${base}.${key}` : key,
          rule: "unknown configuration key",
          source: fileSource,
        });
      }
      continue;
    }
    // Never echo the offending value: it may be a password.
    problems.push({ path: base, rule: issue.message, source: sources.get(base) ?? fileSource });
  }
  return problems;
}
