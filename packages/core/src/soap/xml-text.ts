/**
 * Escaping text for XML element content. Besides the five markup characters we write CR as `&#13;`:
 * XML parsers normalise a raw CR LF to LF, which would change a message's text (and its SMS count)
 * on the way to SMSC. Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR,
 * and lone surrogates) are refused by validation before we get here; as a last line of defence
 * they are dropped rather than sent as a malformed document.
 */
const NEEDS_ESCAPE = /[&<>"'\r]/;
// Built from a string: the control characters XML 1.0 forbids are exactly what this must match.
const FORBIDDEN_IN_XML = new RegExp(
  "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]" +
    "|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]",
  "g",
);

/** Every character FORBIDDEN_IN_XML can match (a surrogate only when unpaired): text without one is clean. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const MAY_BE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const ENTITY: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

/** Any character escapeXmlText changes: text without one (most values) is written as it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const NEEDS_ANY_CHANGE = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXmlText(text: string): string {
  if (!NEEDS_ANY_CHANGE.test(text)) return text;
  const clean = MAY_BE_FORBIDDEN.test(text) ? text.replace(FORBIDDEN_IN_XML, "") : text;
  if (!NEEDS_ESCAPE.test(clean)) return clean;
  return clean.replace(/[&<>"'\r]/g, (char) => ENTITY[char] ?? char);
}

/** True when the text holds a character that XML 1.0 cannot carry (validation rule `xml_char`). */
export function hasCharForbiddenInXml(text: string): boolean {
  if (!MAY_BE_FORBIDDEN.test(text)) return false;
  FORBIDDEN_IN_XML.lastIndex = 0;
  const found = FORBIDDEN_IN_XML.test(text);
  FORBIDDEN_IN_XML.lastIndex = 0;
  return found;
}
