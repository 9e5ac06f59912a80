/**
 * Decodes `application/x-www-form-urlencoded` bodies and query strings into ordered key/value pairs.
 *
 * URLSearchParams always decodes percent-escapes as UTF-8; SMSC accounts can be configured for
 * windows-1251 or koi8-r, so escapes are decoded to bytes first and then through the declared charset.
 */
import { TextDecoder } from "node:util";

export interface FormPair {
  readonly key: string;
  readonly value: string;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Throws RangeError for a charset the runtime's TextDecoder does not know. */
export function decodeForm(input: string | Uint8Array, charset = "utf-8"): FormPair[] {
  const decoder = new TextDecoder(charset, { fatal: false, ignoreBOM: true });
  // The wire form is ASCII; any raw 8-bit bytes are decoded with the declared charset too.
  const text = typeof input === "string" ? input : decoder.decode(input);
  const pairs: FormPair[] = [];
  if (text.length === 0) return pairs;
  for (const part of text.split("&")) {
    if (part.length === 0) continue;
    const eq = part.indexOf("=");
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push({ key: percentDecode(rawKey, decoder), value: percentDecode(rawValue, decoder) });
  }
  return pairs;
}

function percentDecode(component: string, decoder: TextDecoder): string {
  const plus = component.replaceAll("+", " ");
  if (!plus.includes("%")) return plus;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += decoder.decode(Uint8Array.from(bytes));
    bytes = [];
  };
  for (let i = 0; i < plus.length; i++) {
    const hex = plus.slice(i + 1, i + 3);
    if (plus[i] === "%" && HEX.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      // A stray "%" or a literal character is kept as it was written.
      flush();
      out += plus[i];
    }
  }
  flush();
  return out;
}

/** Extracts `charset=` from a Content-Type header value, lower-cased; undefined when absent. */
export function charsetOf(contentType: string | undefined | null): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** The media type of a Content-Type header value, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string | undefined | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}
