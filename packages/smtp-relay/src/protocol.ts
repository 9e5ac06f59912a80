/**
 * The relay's only window onto SMSC's rules. What a valid phone number or sender name is
 * and how many parts a text needs come from @smsc-kit/core, which reads them from spec/
 * through the generated tables; nothing is restated here.
 */
import {
  FIELDS,
  type PhoneOptions,
  parsePhones,
  phoneIdentity,
  segments,
  validateRequest,
} from "@smsc-kit/core";

export type RuleCheck = { ok: true } | { ok: false; rule: string; message: string };

/**
 * Judges one field exactly as core's validator does, ignoring issues about other fields.
 * A placeholder text goes along because a send without `mes` is always refused, and a
 * refusal builds an error object: with it, a good value costs no error at all.
 */
function checkField(field: "phones" | "sender", value: string, phoneOptions: PhoneOptions = {}): RuleCheck {
  const result = validateRequest("send", { mes: "placeholder", [field]: value }, phoneOptions);
  if (result.ok) return { ok: true };
  const found = result.error.issues.find((issue) => issue.field === field);
  if (!found) return { ok: true };
  return {
    ok: false,
    rule: found.rule,
    message: `rule ${found.rule}, SMSC error ${found.smscError}`,
  };
}

export type PhoneCheck = { ok: true; phone: string } | { ok: false; rule: string; message: string };

// Core's validator builds a full error (with stack) per refusal; the same numbers recur
// (alert mail goes to the same on-call phones), so verdicts are remembered, within bounds.
const PHONE_MEMO_LIMIT = 10_000;
const phoneMemo = new Map<string, PhoneCheck>();

/**
 * A single phone number SMSC takes, as its subscriber identity (core's `phoneIdentity`: E.164 digits),
 * so `+79990000030`, `79990000030` and `89990000030` are one phone; a group, e-mail or list is not one.
 */
export function checkPhone(phone: string, phoneOptions: PhoneOptions = {}): PhoneCheck {
  const memoKey = `${phoneOptions.defaultRegion ?? ""}\u0000${phone}`;
  const known = phoneMemo.get(memoKey);
  if (known) return known;
  const verdict = judgePhone(phone, phoneOptions);
  if (phoneMemo.size >= PHONE_MEMO_LIMIT) phoneMemo.clear();
  phoneMemo.set(memoKey, verdict);
  return verdict;
}

function judgePhone(phone: string, phoneOptions: PhoneOptions): PhoneCheck {
  const checked = checkField("phones", phone, phoneOptions);
  if (!checked.ok) return checked;
  const recipients = parsePhones(phone);
  const only = recipients[0];
  if (recipients.length !== 1 || only?.kind !== "phone") {
    return { ok: false, rule: "single_phone", message: "rule single_phone: exactly one phone number" };
  }
  // Validation above has refused every number that cannot be a subscriber's, so an identity exists.
  return { ok: true, phone: phoneIdentity(only.input, phoneOptions) ?? only.value };
}

export function checkSender(sender: string): RuleCheck {
  return checkField("sender", sender);
}

export function countParts(text: string, translit: boolean): number {
  return segments(text, { translit }).parts;
}

/** The most characters SMSC takes in one text (the catalog's `mes` format); longer ones it refuses. */
const MAX_TEXT_CHARS = FIELDS.mes.format.maxLength ?? Number.POSITIVE_INFINITY;

/**
 * A text cut to what SMSC accepts at all, for `overflow: "truncate"`: SMSC cuts it to `maxsms` parts
 * itself, but refuses a text over its length limit outright, so a long mail would never get that far.
 * A surrogate pair is not split.
 */
export function cutToTextLimit(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
  return text.slice(0, end);
}
