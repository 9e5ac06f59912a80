/**
 * A fast reader for the plain XML that SOAP answers are made of: elements (with or without a prefix),
 * attributes, text with the five named entities. It calls back on each start tag, text run and end tag,
 * after checking that part well-formed. For anything outside that subset (comments, CDATA, processing
 * instructions, DTDs, character references, CR, control characters, non-ASCII names, an unclosed or
 * mismatched tag, text outside the root, a duplicate attribute) it stops and returns false without judging:
 * the caller then reads the document again with the full parser (saxes), which decides. So a document is
 * either well-formed within the subset and read here, or read by saxes; never accepted here and refused
 * there (read-answer.test.ts checks that both readers agree on every answer and on thousands of broken
 * ones). Written with character codes rather than regular expressions: it is on every call's path.
 */

export interface SimpleXmlHandler {
  open(name: string): void;
  text(text: string): void;
  close(): void;
}

/**
 * Characters the subset leaves to saxes: CR (line-end normalisation), controls, surrogates, U+FFFE/F.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const OUTSIDE_SUBSET = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** An `&` that does not start one of the five named entities (a character reference, or an error). */
const OTHER_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos);)/;
const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const ENTITY_TEXT: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const GT = 62;
const SLASH = 47;
const EQUALS = 61;
const COLON = 58;
const QUOTE = 34;
const APOSTROPHE = 39;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10;
}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 46 || code === 45;
}

/** End of the ASCII name (at most one `prefix:`) starting at `at`, or -1 when there is none. */
function nameEnd(xml: string, at: number): number {
  if (!isNameStart(xml.charCodeAt(at))) return -1;
  let i = at + 1;
  while (isNameChar(xml.charCodeAt(i))) i++;
  if (xml.charCodeAt(i) !== COLON) return i;
  if (!isNameStart(xml.charCodeAt(i + 1))) return -1;
  i += 2;
  while (isNameChar(xml.charCodeAt(i))) i++;
  return xml.charCodeAt(i) === COLON ? -1 : i;
}

function skipSpace(xml: string, at: number): number {
  let i = at;
  while (isSpace(xml.charCodeAt(i))) i++;
  return i;
}

function decode(text: string): string {
  return text.includes("&") ? text.replace(ENTITY, (_, name: string) => ENTITY_TEXT[name] as string) : text;
}

/**
 * The attributes of a start tag from `at` (just after its name) up to its `>` or `/>`: the index of that
 * `>` or `/`, or -1 when they leave the subset (a value with `<` or another `&`, a missing space, a repeat).
 */
function attributesEnd(xml: string, at: number): number {
  let i = at;
  // Names seen so far, for the duplicate check: most tags have none or one (`xmlns`), so no list until two.
  let first: string | undefined;
  let more: string[] | undefined;
  for (;;) {
    const afterSpace = skipSpace(xml, i);
    const code = xml.charCodeAt(afterSpace);
    if (code === GT || code === SLASH) return afterSpace;
    if (afterSpace === i) return -1; // attributes are separated from the name and each other by space
    const end = nameEnd(xml, afterSpace);
    if (end === -1) return -1;
    const name = xml.slice(afterSpace, end);
    if (first === undefined) first = name;
    else {
      more ??= [first];
      if (more.includes(name)) return -1;
      more.push(name);
    }
    i = skipSpace(xml, end);
    if (xml.charCodeAt(i) !== EQUALS) return -1;
    i = skipSpace(xml, i + 1);
    const quote = xml.charCodeAt(i);
    if (quote !== QUOTE && quote !== APOSTROPHE) return -1;
    const close = xml.indexOf(quote === QUOTE ? '"' : "'", i + 1);
    if (close === -1) return -1;
    const lt = xml.indexOf("<", i + 1);
    if (lt !== -1 && lt < close) return -1;
    const amp = xml.indexOf("&", i + 1);
    if (amp !== -1 && amp < close && OTHER_AMPERSAND.test(xml.slice(i + 1, close))) return -1;
    i = close + 1;
  }
}

/**
 * Reads `xml` from `start` (past any XML declaration) into `handler`. Returns false, having stopped, when
 * the document leaves the subset; errors the handler throws propagate.
 */
export function readSimpleXml(xml: string, handler: SimpleXmlHandler, start = 0): boolean {
  if (OUTSIDE_SUBSET.test(xml)) return false;
  const stack: string[] = [];
  let rootClosed = false;
  let at = start;
  const length = xml.length;
  while (at < length) {
    const next = xml.indexOf("<", at);
    const end = next === -1 ? length : next;
    if (end > at) {
      if (stack.length === 0) {
        // Outside the root only space may stand.
        if (skipSpace(xml, at) !== end) return false;
      } else {
        const text = xml.slice(at, end);
        if (text.includes("]]>") || (text.includes("&") && OTHER_AMPERSAND.test(text))) return false;
        handler.text(decode(text));
      }
    }
    if (next === -1) break;
    if (xml.charCodeAt(next + 1) === SLASH) {
      // An end tag must repeat the open element's name (already checked as a name), then space or `>`.
      const open = stack.pop();
      if (open === undefined || !xml.startsWith(open, next + 2)) return false;
      const gt = skipSpace(xml, next + 2 + open.length);
      if (xml.charCodeAt(gt) !== GT) return false;
      handler.close();
      if (stack.length === 0) rootClosed = true;
      at = gt + 1;
      continue;
    }
    if (rootClosed) return false;
    const nameStop = nameEnd(xml, next + 1);
    if (nameStop === -1) return false;
    const tagEnd = attributesEnd(xml, nameStop);
    if (tagEnd === -1) return false;
    const selfClosing = xml.charCodeAt(tagEnd) === SLASH;
    if (selfClosing && xml.charCodeAt(tagEnd + 1) !== GT) return false;
    const name = xml.slice(next + 1, nameStop);
    handler.open(name);
    if (selfClosing) {
      handler.close();
      if (stack.length === 0) rootClosed = true;
      at = tagEnd + 2;
    } else {
      stack.push(name);
      at = tagEnd + 1;
    }
  }
  return rootClosed && stack.length === 0;
}
