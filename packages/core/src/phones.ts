/**
 * Recipient lists as SMSC reads them (`phones`): separated by "," or ";", each a phone number
 * (international, "+" optional), a contact group `G<n>`, an e-mail address or a Telegram `#ID`. The
 * separators and patterns are the catalog's (FIELDS.phones.format).
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js";
import { FIELDS } from "./generated/index.js";
import { possibleByLength } from "./phone-lengths.js";

export type RecipientKind = "phone" | "group" | "email" | "telegram";

export type Recipient =
  | { kind: RecipientKind; input: string; value: string }
  | { kind: "invalid"; input: string; value: string };

interface ListFormat {
  separators: readonly string[];
  items: readonly { name: string; pattern: string }[];
}

const format = FIELDS.phones.format as unknown as ListFormat;
const SPLIT = new RegExp(`[${format.separators.map((s) => `\\${s}`).join("")}]`);
const MATCHERS = format.items.map((item) => ({
  kind: item.name as RecipientKind,
  pattern: new RegExp(`^(?:${item.pattern})$`, "u"),
}));

/** A phone's canonical form: digits with the leading "+" kept (spaces, dashes, brackets dropped). */
function normalise(kind: RecipientKind, text: string): string {
  if (kind !== "phone") return text;
  return (text.startsWith("+") ? "+" : "") + text.replace(/\D/g, "");
}

/**
 * The region a number written without "+" in national form (`8 999 …`) belongs to. SMSC is a Russian
 * service (smsc.ru; its times are Moscow time, `tz` counts hours from Moscow) that reads numbers
 * without "+" leniently and corrects them: spec/catalog.yaml, fields.phones (description and notes).
 * Callers serving another home region pass their own.
 */
export const DEFAULT_PHONE_REGION: CountryCode = "RU";

/** Is `code` a region libphonenumber-js knows (ISO 3166 alpha-2, e.g. "RU", "KZ")? For checking configuration. */
export function isPhoneRegion(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

export interface PhoneOptions {
  /** ISO 3166 region of numbers written in national form. Default {@link DEFAULT_PHONE_REGION}. */
  defaultRegion?: CountryCode;
}

/**
 * Reads one phone number the way SMSC does (catalog: international format, "+" optional) with
 * libphonenumber-js. With "+" the number is international as written, and so is one written with "00",
 * the international prefix most of the world dials (ITU-T E.164): no country code and no national
 * number follows it with a 0, so it cannot be the start of a home-region number (read in Russia,
 * `00447911123456` would otherwise be "possible" as +7 00447911123456, another number). Without either,
 * it is first read in the home region (which also recognises `8 999 …` and `7 999 …` there, and the
 * region's own prefix such as Russia's 810), then as international with the "+" left out; a valid
 * reading wins over one that is merely of a possible length.
 */
function readPhone(text: string, region: CountryCode): PhoneNumber | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("+")) return parsePhoneNumberFromString(trimmed);
  const digits = trimmed.replace(/\D/g, "");
  if (digits.startsWith("00")) return parsePhoneNumberFromString(`+${digits.slice(2)}`);
  // The international reading is parsed only when the home one is not valid: most numbers are read at home.
  const home = parsePhoneNumberFromString(trimmed, region);
  if (home?.isValid()) return home;
  const international = parsePhoneNumberFromString(`+${digits}`);
  if (international?.isValid()) return international;
  return home?.isPossible() ? home : international?.isPossible() ? international : undefined;
}

/**
 * Can this be a subscriber's number at all (a length some numbering plan allows)? `+7 12` cannot. The
 * check is libphonenumber's "possible", not "valid": SMSC routes ranges that a static table may not
 * know yet, so only what no plan allows is refused.
 */
export function isPossiblePhone(text: string, options: PhoneOptions = {}): boolean {
  // Any possible reading will do (a valid one is possible too), so the costlier validity check of
  // readPhone is skipped: this runs on every recipient of every send.
  const trimmed = text.trim();
  // Digits only (how most callers write numbers): decided from the metadata's lengths, no parse.
  if (possibleByLength(trimmed) === true) return true;
  if (trimmed.startsWith("+")) return parsePhoneNumberFromString(trimmed)?.isPossible() === true;
  const digits = trimmed.replace(/\D/g, "");
  // "00" is the international prefix, as in readPhone: the number after it is the only reading.
  if (digits.startsWith("00"))
    return parsePhoneNumberFromString(`+${digits.slice(2)}`)?.isPossible() === true;
  // Either reading will do, so the international one (how SMSC's catalog asks for numbers) goes first.
  if (parsePhoneNumberFromString(`+${digits}`)?.isPossible() === true) return true;
  const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
  return parsePhoneNumberFromString(trimmed, region)?.isPossible() === true;
}

/** The subscriber as E.164 digits without "+" (`8 (999) 000-00-30` → `79990000030`); undefined if none. */
export function phoneIdentity(text: string, options: PhoneOptions = {}): string | undefined {
  const phone = readPhone(text, options.defaultRegion ?? DEFAULT_PHONE_REGION);
  return phone?.isPossible() === true ? phone.number.slice(1) : undefined;
}

export function parsePhones(phones: string | readonly string[]): Recipient[] {
  const parts = typeof phones === "string" ? phones.split(SPLIT) : phones.flatMap((p) => p.split(SPLIT));
  const recipients: Recipient[] = [];
  for (const part of parts) {
    const input = part.trim();
    if (input === "") continue;
    const match = MATCHERS.find((matcher) => matcher.pattern.test(input));
    recipients.push(
      match === undefined
        ? { kind: "invalid", input, value: input }
        : { kind: match.kind, input, value: normalise(match.kind, input) },
    );
  }
  return recipients;
}

/**
 * The key that identifies one recipient whatever way it was written, so a status answer or a callback for
 * "79991234567" matches a message sent to "+7 (999) 123-45-67" or "8 999 123-45-67", and a mail to both
 * is one SMS: a phone is its subscriber number (E.164 digits, no "+", via {@link phoneIdentity}; a
 * number that cannot be a subscriber keeps its bare digits), an e-mail address in lower case, anything
 * else (a group, a Telegram id, text that is no recipient) trimmed.
 */
export function recipientKey(recipient: string, options: PhoneOptions = {}): string {
  const [parsed] = parsePhones(recipient);
  if (parsed === undefined) return recipient.trim();
  if (parsed.kind === "phone") return phoneIdentity(parsed.input, options) ?? parsed.value.replace(/\D/g, "");
  if (parsed.kind === "email") return parsed.value.toLowerCase();
  return parsed.value;
}

/** The phones of a `phones` value that cannot be a subscriber's number (the catalog's pattern let them by). */
export function impossiblePhones(phones: string, options: PhoneOptions = {}): string[] {
  // One number written as digits (no separator, so one item) that the length table proves possible:
  // nothing to list, whatever kind the catalog's patterns would give it.
  if (possibleByLength(phones.trim()) === true) return [];
  return parsePhones(phones)
    .filter((recipient) => recipient.kind === "phone" && !isPossiblePhone(recipient.input, options))
    .map((recipient) => recipient.input);
}
