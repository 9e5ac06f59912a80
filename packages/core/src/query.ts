/**
 * The `query` string of the `*2` operations: SMSC reads it like an HTTP query string
 * ('p1=v1&p2=v2', PHP parse_str semantics), so we encode with URLSearchParams: space → `+`,
 * `+` → `%2B` (a bare `+` would reach SMSC as a space, which breaks `time=+m` and `+7…` phones),
 * newline → `%0A`, Cyrillic → percent-encoded UTF-8.
 */
import { formatList, isListLines, type ListLine } from "./list-option.js";

export type QueryValue = string | number | boolean | readonly string[] | readonly ListLine[];

export function queryValueToString(name: string, value: QueryValue): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  if (name === "list" || isListLines(value)) return formatList(value);
  return (value as readonly string[]).join(",");
}

export function encodeQuery(options: Readonly<Record<string, QueryValue | undefined | null>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    params.append(name, queryValueToString(name, value));
  }
  return params.toString();
}

/** Decode a `query` string into its options (the last value wins when a name repeats, like PHP). */
export function decodeQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) out[name] = value;
  return out;
}
