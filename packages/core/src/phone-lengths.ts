/**
 * A shortcut for the commonest recipient, a number already written as digits (`79991234567`,
 * `+79991234567`): decides "possible" from libphonenumber-js's own metadata without a full parse, and
 * only ever answers "yes"; anything it cannot prove is left to the parser (phones.ts).
 *
 * Why the answer equals libphonenumber's `parsePhoneNumberFromString("+" + digits)?.isPossible()`:
 * - the calling code is the first 1-3 digit prefix the metadata knows, as the parser takes it;
 * - only calling codes whose every region has the same possible national lengths are kept, so which
 *   region the parser settles on cannot change the verdict;
 * - only regions without a national-prefix transform rule are kept: stripping a national prefix then
 *   only shortens the number, and the parser keeps the stripped form only when it is itself possible;
 * - non-geographic codes (+800, +882 …) are left to the parser.
 * phone-lengths.test.ts checks the table against the parser over every kept calling code and length.
 */
import { type CountryCallingCode, type CountryCode, Metadata, type NumberingPlan } from "libphonenumber-js";
import metadataJson from "libphonenumber-js/min/metadata";

/** The rule the public typing leaves out (present at runtime on every numbering plan). */
interface NumberingPlanWithPrefixRule extends NumberingPlan {
  nationalPrefixTransformRule(): string | undefined;
}

/** Calling code → the national lengths every region under it allows. */
function possibleLengthsByCallingCode(): Map<string, ReadonlySet<number>> {
  const table = new Map<string, ReadonlySet<number>>();
  const metadata = new Metadata();
  const codes = metadataJson.country_calling_codes as Record<CountryCallingCode, CountryCode[]>;
  for (const [callingCode, regions] of Object.entries(codes)) {
    let lengths: number[] | undefined;
    let uniform = regions.length > 0;
    for (const region of regions) {
      if (!(region in metadataJson.countries)) {
        uniform = false; // a non-geographic plan ("001")
        break;
      }
      metadata.selectNumberingPlan(region);
      const plan = metadata.numberingPlan as NumberingPlanWithPrefixRule | undefined;
      const own = plan?.possibleLengths();
      if (plan === undefined || own === undefined || own.length === 0 || plan.nationalPrefixTransformRule()) {
        uniform = false;
        break;
      }
      if (lengths === undefined) lengths = own;
      else if (lengths.join() !== own.join()) {
        uniform = false;
        break;
      }
    }
    if (uniform && lengths !== undefined) table.set(callingCode, new Set(lengths));
  }
  return table;
}

const LENGTHS = possibleLengthsByCallingCode();
/** Every calling code the metadata knows (the parser's prefix search reads this list). */
const CALLING_CODES = new Set(Object.keys(metadataJson.country_calling_codes));
const DIGITS = /^\+?[1-9]\d{2,19}$/;

/**
 * True when `text` (trimmed) is digits, "+" optional, that libphonenumber-js reads as a possible
 * international number; undefined when this shortcut cannot tell (the parser decides).
 */
export function possibleByLength(text: string): true | undefined {
  if (!DIGITS.test(text)) return undefined;
  const digits = text.charCodeAt(0) === 43 ? text.slice(1) : text;
  for (let size = 1; size <= 3; size++) {
    const callingCode = digits.slice(0, size);
    if (!CALLING_CODES.has(callingCode)) continue;
    return LENGTHS.get(callingCode)?.has(digits.length - size) === true ? true : undefined;
  }
  return undefined;
}

/** The calling codes the shortcut covers, with their lengths (for the equivalence test). */
export function shortcutTable(): ReadonlyMap<string, ReadonlySet<number>> {
  return LENGTHS;
}
