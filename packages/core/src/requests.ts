/**
 * Request types (SMSC's own parameter names, typed from the generated schemas) and their conversion to
 * wire form: every value a string, recipient arrays joined with ",", `list` lines formatted, booleans as
 * 1/0. Credentials are not request fields: they belong to createSmscClient, and a request that carries
 * one is refused so that a secret never travels through request-handling code paths.
 */

import { invalidField } from "./field-rules.js";
import type { QUERY_OPTIONS } from "./generated/index.js";
import { formatList, isListLines, type ListLine } from "./list-option.js";

type WithList<T> = T extends { list?: infer L } ? Omit<T, "list"> & { list?: L | readonly ListLine[] } : T;
type QueryOptionMeta = typeof QUERY_OPTIONS;
/** Options that are pure 0/1 switches in the catalog (`flash`, `hlr`, `err`, …): these also take a boolean. */
type FlagName = {
  [K in keyof QueryOptionMeta]: QueryOptionMeta[K]["format"] extends {
    kind: "enum";
    values: readonly { value: "0" | "1" }[];
  }
    ? K
    : never;
}[keyof QueryOptionMeta];
type Flags<T> = { [K in keyof T]: K extends FlagName ? T[K] | boolean : T[K] };

/**
 * A request of a method whose options (generated `<Method>Options`) are `Options`: switches also take a
 * boolean, `list` also takes lines. The per-method aliases (`SendRequest`, …) are generated.
 */
export type SmscRequest<Options> = WithList<Flags<Options>>;

const CREDENTIALS = new Set(["login", "psw", "apikey", "query"]);

/** One request value in wire form; throws SmscValidationError (rule `type`) for anything else. */
export function wireValue(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw invalidField(name, "finite_number", `${name}: must be a finite number`);
    return String(value);
  }
  if (Array.isArray(value)) {
    if (name === "list" && isListLines(value)) return formatList(value);
    if (value.every((item) => typeof item === "string" || typeof item === "number")) return value.join(",");
  }
  throw invalidField(name, "type", `${name}: must be a string, a number, a boolean or a list of strings`);
}

export function toWireFields(request: object): Record<string, string> {
  if (typeof request !== "object" || request === null) {
    throw invalidField("request", "type", "request: must be an object of SMSC options");
  }
  const wire: Record<string, string> = {};
  const fields = request as Readonly<Record<string, unknown>>;
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    if (CREDENTIALS.has(name)) {
      throw invalidField(
        name,
        "credentials_in_request",
        `${name}: credentials are given to createSmscClient, not per request`,
      );
    }
    wire[name] = wireValue(name, value);
  }
  return wire;
}
