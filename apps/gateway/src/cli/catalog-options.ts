import { FIELDS, QUERY_OPTIONS, type SmscMethod } from "@smsc-kit/core";
import { Option } from "commander";

/**
 * Command-line flags derived from the catalog (core's generated FIELDS and QUERY_OPTIONS): one flag per
 * parameter the method accepts, with the catalog's description and rule as help. Nothing here lists SMSC's
 * options by hand, so a catalog change moves the CLI with it.
 */

interface ParameterMeta {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly default: string | null;
  readonly methods: readonly string[];
  readonly rule: string;
  readonly credential: boolean;
  readonly secret: boolean;
  readonly format: { readonly kind: string; readonly values?: readonly { readonly value: string }[] };
}

/**
 * Catalog names that clash with a flag of the CLI itself get another flag name. `list` is SMSC's
 * "different text per phone in one request" option; `--list` belongs to the CSV bulk send.
 */
const RENAMED: Readonly<Record<string, string>> = { list: "smsc-list" };

/** Set by the client from its own arguments, never by a flag. */
const NOT_A_FLAG = new Set(["query"]);

export interface CatalogFlag {
  /** SMSC's parameter name, the key in the request. */
  parameter: string;
  /** The long flag without dashes. */
  flag: string;
  /** commander's attribute name for the flag. */
  attribute: string;
  /** A bare `--flag` means "1" (on/off options). */
  switchable: boolean;
  option: Option;
}

function allParameters(): ParameterMeta[] {
  const seen = new Map<string, ParameterMeta>();
  for (const meta of [...Object.values(FIELDS), ...Object.values(QUERY_OPTIONS)] as ParameterMeta[]) {
    if (!seen.has(meta.name)) seen.set(meta.name, meta);
  }
  return [...seen.values()];
}

function attributeOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function catalogFlags(method: SmscMethod): CatalogFlag[] {
  return allParameters()
    .filter((p) => p.methods.includes(method) && !p.credential && !p.secret && !NOT_A_FLAG.has(p.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => {
      const flag = RENAMED[p.name] ?? p.name;
      const switchable = p.format.kind === "enum" && (p.format.values ?? []).some((v) => v.value === "1");
      const help = `${p.description} [${p.rule}${p.default !== null ? `; default ${p.default}` : ""}]`;
      const option = new Option(switchable ? `--${flag} [value]` : `--${flag} <value>`, help);
      return { parameter: p.name, flag, attribute: attributeOf(flag), switchable, option };
    });
}

/** Turns parsed flags back into an SMSC request keyed by SMSC's own names; the client validates values. */
export function requestFromFlags(
  flags: readonly CatalogFlag[],
  values: Record<string, unknown>,
): Record<string, string> {
  const request: Record<string, string> = {};
  for (const flag of flags) {
    const value = values[flag.attribute];
    if (value === undefined) continue;
    request[flag.parameter] = value === true ? "1" : String(value);
  }
  return request;
}
