import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";

/** One row of a recipients file: what it sends and where a person finds it. */
export interface ListRow {
  /** The line of the file the row starts on (the header is line 1), as an editor numbers it. */
  line: number;
  phones: string;
  mes: string;
}

export class RecipientsFileError extends Error {
  override readonly name = "RecipientsFileError";
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

const PHONE_COLUMNS = ["phone", "phones", "to", "number"];
const TEXT_COLUMNS = ["mes", "text", "message"];

/**
 * Reads a CSV with a header row. It needs a phone column (`phone`, `phones`, `to` or `number`) and either a
 * text column (`mes`, `text` or `message`) or a template: `{name}` in the template is replaced by that row's
 * `name` column.
 */
export async function readRecipients(file: string, template?: string): Promise<ListRow[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new RecipientsFileError(
      "list",
      "readable",
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseRecipients(decodeUtf8(bytes, file), template);
}

/**
 * The file must be UTF-8. Spreadsheets often save CSV in a legacy code page (windows-1251 in Russia);
 * read as UTF-8 its texts would be sent as mojibake, so such a file is refused instead of guessed at.
 */
function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RecipientsFileError(
      "list",
      "utf-8",
      `${file} is not UTF-8 text; save it as "CSV UTF-8" (or convert it: iconv -f windows-1251 -t utf-8)`,
    );
  }
}

export function parseRecipients(text: string, template?: string): ListRow[] {
  let parsed: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(text.replace(/^\uFEFF/, ""), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      delimiter: [",", ";"],
      info: true,
      raw: true,
    });
  } catch (error) {
    throw new RecipientsFileError("list", "csv", `not a valid CSV file: ${(error as Error).message}`);
  }
  const records = parsed.map((entry) => entry.record);
  const first = records[0];
  if (!first) throw new RecipientsFileError("list", "non-empty", "the recipients file has no data rows");
  const columns = Object.keys(first);
  const phoneColumn = PHONE_COLUMNS.find((c) => columns.includes(c));
  if (!phoneColumn) {
    throw new RecipientsFileError(
      "list",
      "phone column",
      `the header needs one of: ${PHONE_COLUMNS.join(", ")}`,
    );
  }
  const textColumn = TEXT_COLUMNS.find((c) => columns.includes(c));
  if (template === undefined && !textColumn) {
    throw new RecipientsFileError(
      "mes",
      "text or template",
      `give --mes as a template or a text column (${TEXT_COLUMNS.join(", ")})`,
    );
  }
  if (template !== undefined) {
    for (const placeholder of template.matchAll(/\{(\w+)\}/g)) {
      const name = placeholder[1]?.toLowerCase() ?? "";
      if (!columns.includes(name)) {
        throw new RecipientsFileError(
          "mes",
          "template column",
          `template uses {${name}} but the file has no such column`,
        );
      }
    }
  }

  return parsed.map(({ record, info, raw }) => {
    const line = startLine(info.lines, raw);
    const phones = record[phoneColumn] ?? "";
    if (phones === "")
      throw new RecipientsFileError("phones", "required", `line ${line}: the phone is empty`);
    const mes =
      template !== undefined
        ? template.replace(/\{(\w+)\}/g, (_m, name: string) => record[name.toLowerCase()] ?? "")
        : (record[textColumn ?? ""] ?? "");
    if (mes === "") throw new RecipientsFileError("mes", "required", `line ${line}: the text is empty`);
    return { line, phones, mes };
  });
}

/**
 * csv-parse reports the line a record ends on; a quoted field may span lines, so the start is that line
 * less the line breaks inside the record's own text (blank lines skipped before it and the line break after it are not).
 */
function startLine(endLine: number, raw: string): number {
  const own = raw.replace(/^\s+/, "").replace(/\s+$/, "");
  return endLine - (own.match(/\n/g)?.length ?? 0);
}
