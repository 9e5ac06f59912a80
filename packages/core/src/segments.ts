/**
 * Offline SMS part counting, as SMSC bills it (docs/protocol.md §7): GSM-7 when every character is in
 * the GSM 03.38 basic or extension table (extension characters take two septets), UCS-2 otherwise
 * (UTF-16 code units, so an emoji outside the BMP takes two). One part holds the "single" limit; a
 * longer text is split into parts of the "multi" limit (the UDH takes the rest). Parts are packed
 * greedily and a two-unit character (GSM escape + char, or a surrogate pair) is never split across a
 * part boundary, as handsets and SMSCs do. Alphabets and limits come from the generated catalog tables.
 *
 * `translit` (1 or 2) makes SMSC rewrite Cyrillic in Latin letters before sending. SMSC does not
 * publish its transliteration table, so we count each Cyrillic letter as one GSM-7 character
 * (assumption: multi-letter renderings such as "zh" are not counted).
 */
import { EXTENSION_UNITS, isGsm7Basic, isGsm7Extension, SEGMENT_LIMITS } from "./segment-tables.js";

export interface SegmentOptions {
  translit?: number | string | boolean | undefined;
  maxsms?: number | string | undefined;
}

export interface SegmentCount {
  encoding: "gsm7" | "ucs2";
  /** Number of SMS parts billed (after the `maxsms` cap). */
  parts: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  /** Capacity of each part in units: the single-part limit for 1 part, the multi-part one otherwise. */
  perPart: number;
  /** True when `maxsms` cut the text: SMSC truncates it to `parts` parts. */
  truncated: boolean;
}

const CYRILLIC = /[\u0400-\u04FF]/u;

function translitEnabled(translit: SegmentOptions["translit"]): boolean {
  if (translit === undefined || translit === false) return false;
  if (translit === true) return true;
  return Number(translit) > 0;
}

/** Width of each character (code point) in units, or undefined if the text needs UCS-2. */
function gsm7Widths(text: string, translit: boolean): number[] | undefined {
  const widths: number[] = [];
  for (const char of text) {
    if (isGsm7Basic(char) || (translit && CYRILLIC.test(char))) widths.push(1);
    else if (isGsm7Extension(char)) widths.push(EXTENSION_UNITS);
    else return undefined;
  }
  return widths;
}

function ucs2Widths(text: string): number[] {
  const widths: number[] = [];
  for (const char of text) widths.push(char.length);
  return widths;
}

function packParts(widths: readonly number[], perPart: number): number {
  let parts = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > perPart) {
      parts += 1;
      used = 0;
    }
    used += width;
  }
  return parts;
}

export function segments(text: string, options: SegmentOptions = {}): SegmentCount {
  const gsm = gsm7Widths(text, translitEnabled(options.translit));
  const encoding = gsm === undefined ? "ucs2" : "gsm7";
  const widths = gsm ?? ucs2Widths(text);
  const limits = SEGMENT_LIMITS[encoding];
  const units = widths.reduce((sum, width) => sum + width, 0);
  const single = units <= limits.single;
  const needed = single ? 1 : packParts(widths, limits.multi);
  const max = options.maxsms === undefined || options.maxsms === "" ? undefined : Number(options.maxsms);
  const capped = max !== undefined && Number.isInteger(max) && max > 0 && needed > max;
  const parts = capped ? max : needed;
  const perPart = parts === 1 ? limits.single : limits.multi;
  return { encoding, parts, units, perPart, truncated: capped };
}
