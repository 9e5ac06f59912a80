/**
 * The `list` option of send (smsc-soap-api-page, "list"): lines `phones:mes` (or `phones;mes`),
 * optionally prefixed `sender,tz|`; `\n` inside a message stands for a newline. Core only encodes
 * this format (formatList), so the decoder lives here for now.
 */
export interface ListEntry {
  phones: string;
  mes: string;
  sender?: string;
  tz?: string;
}

export class ListOptionError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "ListOptionError";
  }
}

export function parseListOption(list: string): ListEntry[] {
  const entries: ListEntry[] = [];
  const lines = list.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.trim() === "") return;
    let line = raw;
    let sender: string | undefined;
    let tz: string | undefined;
    const bar = line.indexOf("|");
    const sep = line.search(/[:;]/);
    if (bar !== -1 && (sep === -1 || bar < sep)) {
      const head = line.slice(0, bar).split(",");
      sender = head[0];
      tz = head[1];
      line = line.slice(bar + 1);
    }
    const split = line.search(/[:;]/);
    if (split <= 0) throw new ListOptionError(index + 1, `list line ${index + 1} must be "phones:message"`);
    const entry: ListEntry = {
      phones: line.slice(0, split),
      mes: line.slice(split + 1).replaceAll("\\n", "\n"),
    };
    if (sender !== undefined) entry.sender = sender;
    if (tz !== undefined && tz !== "") entry.tz = tz;
    entries.push(entry);
  });
  if (entries.length === 0) throw new ListOptionError(0, "list is empty");
  return entries;
}
