/**
 * SMSC's `list` option of send/cost (docs/protocol.md §2.2 "list"; catalog QUERY_OPTIONS.list): one
 * message per line, `phones:mes` or `phones;mes` (phones may be a comma list), optionally prefixed
 * `sender,tz|`; lines are separated by newlines, and a newline inside a text is written as the two
 * characters `\n`. With `nl=1` ("a special mode for multi-line texts", wording of the SMSC page) a text
 * may carry real newlines: we read a line that does not open with a recipient list as the continuation
 * of the previous text (inferred: SMSC does not publish the exact rule).
 *
 * The encoder (formatList, used by the client) and the decoder (parseListOption, used by validation and
 * the simulator) live together so the two directions cannot drift apart.
 */
import { invalidField } from "./field-rules.js";
import { parsePhones } from "./phones.js";

/** One line of the `list` option as a caller writes it: its own recipients and text. */
export interface ListLine {
  phones: string | readonly string[];
  mes: string;
  /** Sender id for this line (`sender,tz|` prefix). */
  sender?: string;
  /** Time zone of this line's recipients, hours relative to Moscow (only with a `sender`). */
  tz?: string | number;
}

/** One decoded line of the `list` option. */
export interface ListEntry {
  phones: string;
  mes: string;
  sender?: string;
  tz?: string;
}

export interface ListOptionContext {
  /** The request's `nl` option: "1" lets texts carry real newlines. */
  nl?: string | number | boolean | undefined;
}

/** Is this array `list` lines (objects with phones and mes) rather than plain strings? */
export function isListLines(value: readonly unknown[]): value is readonly ListLine[] {
  return (
    value.length > 0 &&
    value.every((line) => typeof line === "object" && line !== null && "mes" in line && "phones" in line)
  );
}

const SEPARATOR = /[:;]/;
const ESCAPED_NEWLINE = "\\n";

function escapeNewlines(mes: string): string {
  return mes
    .replaceAll("\r\n", ESCAPED_NEWLINE)
    .replaceAll("\n", ESCAPED_NEWLINE)
    .replaceAll("\r", ESCAPED_NEWLINE);
}

/**
 * `list` lines are `[sender[,tz]|]phones:mes`, separated by newlines; a newline inside one message is
 * written as the two characters `\n` so it does not end the line.
 */
export function formatList(lines: readonly ListLine[] | readonly string[]): string {
  return lines
    .map((line) => {
      if (typeof line === "string") return line;
      const phones = typeof line.phones === "string" ? line.phones : line.phones.join(",");
      const prefix =
        line.sender === undefined ? "" : `${line.sender}${line.tz === undefined ? "" : `,${line.tz}`}|`;
      return `${prefix}${phones}:${escapeNewlines(line.mes)}`;
    })
    .join("\n");
}

/** A line split into its parts, or undefined when it does not open with `[sender[,tz]|]phones:`. */
function splitLine(line: string): ListEntry | undefined {
  let rest = line;
  let sender: string | undefined;
  let tz: string | undefined;
  const bar = rest.indexOf("|");
  const firstSeparator = rest.search(SEPARATOR);
  if (bar !== -1 && (firstSeparator === -1 || bar < firstSeparator)) {
    const [head = "", zone] = rest.slice(0, bar).split(",");
    sender = head;
    tz = zone;
    rest = rest.slice(bar + 1);
  }
  const split = rest.search(SEPARATOR);
  if (split <= 0) return undefined;
  const entry: ListEntry = { phones: rest.slice(0, split), mes: rest.slice(split + 1) };
  if (sender !== undefined) entry.sender = sender;
  if (tz !== undefined && tz !== "") entry.tz = tz;
  return entry;
}

/** In nl mode only a line whose head is a real recipient list starts a new message. */
function opensMessage(entry: ListEntry | undefined): entry is ListEntry {
  if (entry === undefined) return false;
  const recipients = parsePhones(entry.phones);
  return recipients.length > 0 && recipients.every((recipient) => recipient.kind !== "invalid");
}

function lineError(line: number): never {
  throw invalidField("list", "line", `list line ${line} must be "[sender[,tz]|]phones:message"`);
}

/**
 * Decode the `list` option into its messages. Throws SmscValidationError (field `list`) for a line that
 * is not `phones:message` and for a list with no message at all. Blank lines are skipped. Phones and
 * texts are returned as written (judge them with validateRequest, which does this per line).
 */
export function parseListOption(list: string, context: ListOptionContext = {}): ListEntry[] {
  const multiLine = String(context.nl ?? "0") === "1" || context.nl === true;
  const entries: ListEntry[] = [];
  const lines = list.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.trim() === "") return;
    const entry = splitLine(raw);
    const previous = entries.at(-1);
    if (multiLine && previous !== undefined && !opensMessage(entry)) {
      previous.mes += `\n${raw}`;
      return;
    }
    if (entry === undefined) lineError(index + 1);
    entries.push(entry);
  });
  if (entries.length === 0)
    throw invalidField("list", "empty", "list is empty: it has no phones:message line");
  for (const entry of entries) entry.mes = entry.mes.replaceAll(ESCAPED_NEWLINE, "\n");
  return entries;
}
