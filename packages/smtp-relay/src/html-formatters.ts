/**
 * How HTML mail becomes SMS text with html-to-text: links keep a target a phone can open, table cells stay
 * words apart. html-to-text's own anchor formatter writes any href (relative paths, `javascript:`) and
 * hides it only when the link text is exactly the href; its table formatter runs the cells of a layout
 * table together ("Code1234"). An alert SMS is often just a code in a table cell or a link.
 */
import type { FormatCallback, SelectorDefinition } from "html-to-text";

/** Targets a phone can open from an SMS; anything else (a relative path, `javascript:`, `cid:`) is dropped. */
const OPENABLE = /^(?:https?:\/\/|mailto:|tel:)/i;

/** The link target as the SMS should show it, or "" when it is of no use outside the mail. */
function smsTarget(href: string | undefined): string {
  const trimmed = (href ?? "").trim();
  const absolute = trimmed.startsWith("//") ? `https:${trimmed}` : trimmed;
  if (!OPENABLE.test(absolute)) return "";
  const mailto = /^mailto:([^?]*)/i.exec(absolute);
  // The address alone: a `?subject=…` tail is for mail programs, not for someone reading an SMS.
  if (mailto) return safeDecode(mailto[1] ?? "").trim();
  return absolute.replace(/^tel:/i, "");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The parts of a URL a reader does not tell apart: scheme and host case, a trailing "/", "http(s)://", "www.". */
function loosely(url: string): string {
  const [, head = "", rest = ""] = /^([^/?#]*)(.*)$/.exec(url.replace(/^https?:\/\//i, "")) ?? [];
  return `${head.toLowerCase().replace(/^www\./, "")}${rest}`.replace(/\/$/, "");
}

/** Does the link's text already say where it goes (`x.example/a` for https://x.example/a/, "Open <URL>")? */
function textNamesTarget(words: readonly string[], target: string): boolean {
  const shown = words.join(" ").trim();
  if (shown === "") return false;
  const wanted = loosely(target);
  if (words.some((word) => loosely(word) === wanted)) return true;
  // tel: +7 (999) 123-45-67 written as the link text of tel:+79991234567
  const digits = (value: string) => value.replace(/\D/g, "");
  return /^[+\d][\d\s()\-.]*$/.test(shown) && digits(shown) === digits(target);
}

const link: FormatCallback = (elem, walk, builder) => {
  const target = smsTarget(elem.attribs?.["href"]);
  if (!target) {
    walk(elem.children, builder);
    return;
  }
  const words: string[] = [];
  builder.pushWordTransform((word: string) => {
    words.push(word);
    return word;
  });
  walk(elem.children, builder);
  builder.popWordTransform();
  if (textNamesTarget(words, target)) return;
  builder.addInline(words.length > 0 ? ` ${target}` : target, { noWordTransform: true });
};

/** A table cell is its words followed by a space, so neighbouring cells do not run together. */
const cell: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addInline(" ");
};

export const SMS_FORMATTERS: Record<string, FormatCallback> = { smsLink: link, smsCell: cell };

const ROW = { leadingLineBreaks: 1, trailingLineBreaks: 1 };

export const SMS_SELECTORS: SelectorDefinition[] = [
  { selector: "a", format: "smsLink" },
  { selector: "img", format: "skip" },
  // Layout tables are how most HTML mail is built: a row is a line, a cell a few words.
  { selector: "table", format: "block", options: ROW },
  { selector: "tr", format: "block", options: ROW },
  { selector: "td", format: "smsCell" },
  { selector: "th", format: "smsCell" },
];
