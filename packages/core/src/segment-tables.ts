/** The segment rules of the catalog (docs/protocol.md §7) in the shape the counter needs. */
import { SEGMENT_RULES } from "./generated/index.js";

export const SEGMENT_LIMITS = {
  gsm7: { single: SEGMENT_RULES.gsm7.single, multi: SEGMENT_RULES.gsm7.multi },
  ucs2: { single: SEGMENT_RULES.ucs2.single, multi: SEGMENT_RULES.ucs2.multi },
} as const;

/** Septets an extension character takes (the escape plus the character). */
export const EXTENSION_UNITS: number = SEGMENT_RULES.extensionUnits;

const BASIC = new Set<string>(SEGMENT_RULES.gsm7Basic);
const EXTENSION = new Set<string>(SEGMENT_RULES.gsm7Extension);

export function isGsm7Basic(char: string): boolean {
  return BASIC.has(char);
}

export function isGsm7Extension(char: string): boolean {
  return EXTENSION.has(char);
}
