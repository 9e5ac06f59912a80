import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";

/** One row of a recipients file, ready to enqueue. */
export interface ListRow {
  /** 1-based data row number (the header is row 0), for messages a person can find in the file. */
  row: number;
  phones: string;
  mes: string;
  /**
   * Stable per row and content: re-running the same file after Ctrl-C enqueues nothing twice, while a row
   * whose phone or text was edited becomes a new message.
   */
  idempotencyKey: string;
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
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new RecipientsFileError(
      "list",
      "readable",
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseRecipients(text, template);
}

export function parseRecipients(text: string, template?: string): ListRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      delimiter: [",", ";"],
    }) as Record<string, string>[];
  } catch (error) {
    throw new RecipientsFileError("list", "csv", `not a valid CSV file: ${(error as Error).message}`);
  }
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

  return records.map((record, index) => {
    const row = index + 1;
    const phones = record[phoneColumn] ?? "";
    if (phones === "") throw new RecipientsFileError("phones", "required", `row ${row}: the phone is empty`);
    const mes =
      template !== undefined
        ? template.replace(/\{(\w+)\}/g, (_m, name: string) => record[name.toLowerCase()] ?? "")
        : (record[textColumn ?? ""] ?? "");
    if (mes === "") throw new RecipientsFileError("mes", "required", `row ${row}: the text is empty`);
    const digest = createHash("sha256").update(`${phones}\u0000${mes}`).digest("hex").slice(0, 32);
    return { row, phones, mes, idempotencyKey: `list-row-${row}-${digest}` };
  });
}
