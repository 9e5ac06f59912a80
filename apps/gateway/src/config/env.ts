import { parse as parseYamlScalar } from "yaml";
import type { z } from "zod";
import type { ConfigProblem } from "./errors.js";

/**
 * Environment overrides: `SMSC_GATEWAY__HTTP__PORT=9000` sets `http.port`. Segments are separated by a
 * double underscore and matched case-insensitively against the schema's keys, so camelCase keys work
 * (`SMSC_GATEWAY__SMSC__BASEURL`). A key the schema types as a string (every secret among them) takes the
 * value literally: read as YAML, `correct horse #battery` would lose its ` #battery` as a comment and a
 * password would silently change. Other values are read as YAML scalars, so numbers and booleans keep their
 * type. The conventional SMSC credential variables are honoured too.
 */
export const ENV_PREFIX = "SMSC_GATEWAY__";

const CREDENTIAL_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  SMSC_LOGIN: ["smsc", "login"],
  SMSC_PSW: ["smsc", "psw"],
  SMSC_APIKEY: ["smsc", "apikey"],
};

export interface EnvOverrideResult {
  /** The config with overrides applied (a new object; the input is not changed). */
  config: Record<string, unknown>;
  /** Dotted path → variable name, to say where a bad value came from. */
  sources: Map<string, string>;
  problems: ConfigProblem[];
}

interface KeyEntry {
  key: string;
  children: KeyTree | undefined;
  /** The schema types the value as a string (or a choice of strings): the variable is taken literally. */
  literal: boolean;
}
type KeyTree = Map<string, KeyEntry>;

interface SchemaDef {
  type?: string;
  innerType?: unknown;
  shape?: unknown;
}

/** The schema under defaults, optionals and the like (refinements do not wrap in zod 4). */
function unwrap(schema: unknown): SchemaDef | undefined {
  let current: unknown = schema;
  for (let i = 0; i < 10; i++) {
    const def = (current as { _zod?: { def?: SchemaDef } })._zod?.def;
    if (!def || def.innerType === undefined) return def;
    current = def.innerType;
  }
  return undefined;
}

/** Collects the object keys of a zod schema, looking through defaults, optionals and refinements. */
export function schemaKeyTree(schema: z.ZodType): KeyTree | undefined {
  const def = unwrap(schema);
  if (def?.type !== "object" || !def.shape || typeof def.shape !== "object") return undefined;
  const tree: KeyTree = new Map();
  for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
    const type = unwrap(child)?.type;
    tree.set(key.toLowerCase(), {
      key,
      children: schemaKeyTree(child),
      literal: type === "string" || type === "enum",
    });
  }
  return tree;
}

export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  schema: z.ZodType,
): EnvOverrideResult {
  const result = structuredClone(config);
  const sources = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const tree = schemaKeyTree(schema);

  const assign = (variable: string, segments: readonly string[], raw: string) => {
    const path: string[] = [];
    let node = tree;
    let literal = false;
    for (const segment of segments) {
      const entry = node?.get(segment.toLowerCase());
      if (!entry) {
        problems.push({
          path: [...path, segment.toLowerCase()].join("."),
          rule: "unknown configuration key",
          source: variable,
        });
        return;
      }
      path.push(entry.key);
      node = entry.children;
      literal = entry.literal;
    }
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === undefined || next === null) target[key] = {};
      else if (typeof next !== "object" || Array.isArray(next)) {
        problems.push({
          path: path.join("."),
          rule: `cannot set inside a non-object value`,
          source: variable,
        });
        return;
      }
      target = target[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (last === undefined) return;
    target[last] = literal ? raw : readScalar(raw);
    sources.set(path.join("."), variable);
  };

  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const credentialPath = CREDENTIAL_VARIABLES[variable];
    if (credentialPath) {
      // Credentials are strings whatever they look like (the schema types them so): taken literally.
      if (value !== "") assign(variable, credentialPath, value);
      continue;
    }
    if (!variable.startsWith(ENV_PREFIX)) continue;
    const segments = variable.slice(ENV_PREFIX.length).split("__").filter(Boolean);
    if (segments.length === 0) continue;
    assign(variable, segments, value);
  }
  return { config: result, sources, problems };
}

function readScalar(raw: string): unknown {
  try {
    return parseYamlScalar(raw) ?? raw;
  } catch {
    return raw;
  }
}
