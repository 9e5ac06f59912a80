/**
 * Texts that need more SMS parts than `maxsms` allows. SMSC does not refuse them: it cuts the text to fit
 * (spec/catalog.yaml, option `maxsms`), so without a word here the recipient gets half a message. Parts are
 * counted by core's `segments`, as the SMTP relay's segment budget counts them, and compared with the request's
 * `maxsms`, or with SMSC's default for the option when the request has none (the catalog publishes no default
 * today, so then only the catalog's 1000-character cap on `mes` applies, which validation already enforces).
 */
import {
  formatList,
  type ListOptionContext,
  parseListOption,
  QUERY_OPTIONS,
  type SegmentCount,
  segments,
} from "@smsc-kit/core";
import { OutboxConfigError } from "./errors.js";

/** "warn": accept with a warning in enqueue's result and a "truncated" event; "reject": refuse at enqueue. */
export type MaxsmsOverflow = "warn" | "reject";

/**
 * Accepting keeps what every caller relied on so far (the SMTP relay's explicit "truncate" policy among them),
 * now said out loud; services that would rather fail set "reject".
 */
export const DEFAULT_MAXSMS_OVERFLOW: MaxsmsOverflow = "warn";

export function checkMaxsmsOverflow(value: unknown): MaxsmsOverflow {
  if (value === undefined) return DEFAULT_MAXSMS_OVERFLOW;
  if (value === "warn" || value === "reject") return value;
  throw new OutboxConfigError("maxsmsOverflow", `must be "warn" or "reject", got ${JSON.stringify(value)}`);
}

/** What enqueue says about a text SMSC will cut (in the result's `warnings` and the "truncated" event). */
export interface TextOverflow {
  /** The field holding the text: `mes`, or `list` for a line of a `list` send. */
  field: "mes" | "list";
  rule: "maxsms";
  /** Parts the whole text needs. */
  parts: number;
  /** Parts SMSC will send. */
  maxsms: number;
  encoding: SegmentCount["encoding"];
  /** 1-based message of a `list` send, for field "list". */
  line?: number;
  message: string;
}

/** SMSC's own cap when a request gives none: the catalog's default for `maxsms` (null: no cap published). */
function catalogMaxsms(): number | null {
  const fallback: unknown = QUERY_OPTIONS.maxsms.default;
  return fallback === null || fallback === undefined ? null : Number(fallback);
}

function maxsmsOf(send: Readonly<Record<string, unknown>>): number | null {
  const given = send.maxsms;
  // The value already passed core's validation (an integer ≥ 1, as a number or a digit string).
  if (given !== undefined && given !== null && given !== "") return Number(given);
  return catalogMaxsms();
}

/** The texts of a `list` send in order, whether the caller wrote the option as text, lines or line objects. */
function listTexts(list: unknown, context: ListOptionContext): string[] {
  if (typeof list === "string") return parseListOption(list, context).map((entry) => entry.mes);
  if (!Array.isArray(list)) return [];
  if (list.every((line) => typeof line === "string")) {
    return parseListOption(formatList(list), context).map((entry) => entry.mes);
  }
  return list.flatMap((line: unknown) =>
    typeof line === "object" && line !== null && "mes" in line && typeof line.mes === "string"
      ? [line.mes]
      : [],
  );
}

/** The texts of a request with where each one sits: `mes`, and each message of a `list` send. */
function textsOf(
  send: Readonly<Record<string, unknown>>,
): { field: "mes" | "list"; text: string; line?: number }[] {
  const texts: { field: "mes" | "list"; text: string; line?: number }[] = [];
  if (typeof send.mes === "string" && send.mes.length > 0) texts.push({ field: "mes", text: send.mes });
  const nl = send.nl;
  const context = typeof nl === "string" || typeof nl === "number" || typeof nl === "boolean" ? { nl } : {};
  listTexts(send.list, context).forEach((text, index) => {
    texts.push({ field: "list", text, line: index + 1 });
  });
  return texts;
}

/** Every text of a (validated) send request that SMSC would cut to `maxsms` parts. */
export function textOverflows(send: Readonly<Record<string, unknown>>): TextOverflow[] {
  const maxsms = maxsmsOf(send);
  if (maxsms === null) return [];
  const translit = send.translit;
  const options =
    typeof translit === "string" || typeof translit === "number" || typeof translit === "boolean"
      ? { translit }
      : {};
  const overflows: TextOverflow[] = [];
  for (const { field, text, line } of textsOf(send)) {
    const { parts, encoding } = segments(text, options);
    if (parts <= maxsms) continue;
    const where = line === undefined ? field : `${field} message ${line}`;
    overflows.push({
      field,
      rule: "maxsms",
      parts,
      maxsms,
      encoding,
      ...(line === undefined ? {} : { line }),
      message: `${where} needs ${parts} SMS parts (${encoding}) but maxsms allows ${maxsms}: SMSC would cut the text`,
    });
  }
  return overflows;
}
