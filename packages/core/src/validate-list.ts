/**
 * The lines of a `list` option, each judged as the message it stands for: its phones, text, sender and
 * time zone against the same generated schemas as a request's own `phones`, `mes`, `sender` and `tz`.
 * A bad line is reported on the field `list`, with the SMSC error code of the part at fault (7 for a
 * phone, as SMSC answers for a bad recipient).
 */
import type { z } from "zod";
import { SmscValidationError, type ValidationIssue } from "./errors.js";
import { smscErrorFor } from "./field-rules.js";
import { fieldSchemas, queryOptionSchemas } from "./generated/index.js";
import { type ListEntry, parseListOption } from "./list-option.js";
import { impossiblePhones, type PhoneOptions } from "./phones.js";

type LinePart = "phones" | "mes" | "sender" | "tz";

const PART_SCHEMAS: Readonly<Record<LinePart, z.ZodType>> = {
  phones: fieldSchemas.phones,
  mes: fieldSchemas.mes,
  sender: fieldSchemas.sender,
  tz: queryOptionSchemas.tz,
};

function partIssue(line: number, part: LinePart, rule: string, detail: string): ValidationIssue {
  return {
    field: "list",
    rule: `line-${part}-${rule}`,
    message: `list: message ${line}: ${detail}`,
    smscError: smscErrorFor(part),
  };
}

function entryIssues(
  entry: ListEntry,
  line: number,
  textRequired: boolean,
  phoneOptions: PhoneOptions,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const part of Object.keys(PART_SCHEMAS) as LinePart[]) {
    const value = entry[part];
    if (value === undefined) continue;
    const parsed = PART_SCHEMAS[part].safeParse(value);
    if (!parsed.success) {
      const zodIssue = parsed.error.issues[0];
      issues.push(partIssue(line, part, zodIssue?.code ?? "invalid", zodIssue?.message ?? `bad ${part}`));
    } else if (part === "phones") {
      for (const phone of impossiblePhones(value, phoneOptions)) {
        issues.push(partIssue(line, part, "subscriber_number", `"${phone}" cannot be a subscriber's number`));
      }
    }
  }
  if (textRequired && entry.mes === "") {
    issues.push(partIssue(line, "mes", "required", "the message text is empty"));
  }
  return issues;
}

/**
 * Issues of every message in `list` (none when it is sound). `textRequired` is false for kinds that
 * ignore `mes` (hlr, ping).
 */
export function listIssues(
  list: string,
  context: { nl?: string | undefined; textRequired: boolean; phoneOptions?: PhoneOptions },
): ValidationIssue[] {
  let entries: ListEntry[];
  try {
    entries = parseListOption(list, { nl: context.nl });
  } catch (error) {
    if (!(error instanceof SmscValidationError)) throw error;
    return [...error.issues];
  }
  return entries.flatMap((entry, index) =>
    entryIssues(entry, index + 1, context.textRequired, context.phoneOptions ?? {}),
  );
}
