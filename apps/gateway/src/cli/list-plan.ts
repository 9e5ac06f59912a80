import { createHash } from "node:crypto";
import { basename } from "node:path";
import { parsePhones, recipientKey } from "@smsc-kit/core";
import type { ListRow } from "./recipients-csv.js";

/**
 * What `smsc send --list` enqueues, and under which idempotency keys.
 *
 * A message is identified by what it sends, never by where it sits in the file: its campaign, its
 * recipients as SMSC would tell them apart (core's `recipientKey`, so `+7 (999) 123-45-67` and `79991234567`
 * are one subscriber, and the order of several recipients in one cell does not matter), its text, and the
 * options given on the command line. Inserting, deleting or reordering rows therefore changes no other row's
 * key, and running an edited file again sends only the rows that are new or changed.
 *
 * Two rows of one file that send the same message are one message: it is sent once and each repeat is
 * reported with the line it repeats, so a file merged from two exports does not text anyone twice, and the
 * user sees which lines to clean up.
 */

export interface ListMessage extends ListRow {
  idempotencyKey: string;
}

export interface DuplicateRow {
  /** The line that repeats an earlier one (not sent again). */
  line: number;
  /** The first line that sends the same message. */
  sameAs: number;
}

/** A recipient a row names again in another spelling (`+7 999 …` after `7999…`): sent once, reported. */
export interface RepeatedRecipient {
  line: number;
  /** The later spelling, left out of the message. */
  phone: string;
  /** The spelling the row names the subscriber by first, which the message keeps. */
  sameAs: string;
}

export interface ListPlan {
  campaign: string;
  messages: ListMessage[];
  duplicates: DuplicateRow[];
  repeatedRecipients: RepeatedRecipient[];
}

/**
 * The campaign a file belongs to unless `--campaign` names one: the file's name without its directory.
 * Editing the file and running it again keeps the campaign (only new rows are sent); moving the file, with
 * its outbox, to another directory keeps it too; a file under another name is another campaign, so sending
 * the same list again on purpose means a new file name or a new `--campaign`.
 */
export function defaultCampaign(file: string): string {
  return basename(file);
}

// Bump when the key's recipe changes, so a new recipe never collides with an old key by accident.
const KEY_VERSION = "smsc-list/2";

export function planList(
  rows: readonly ListRow[],
  campaign: string,
  options: Readonly<Record<string, string>>,
): ListPlan {
  const optionPart = Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const firstLineOf = new Map<string, number>();
  const messages: ListMessage[] = [];
  const duplicates: DuplicateRow[] = [];
  const repeatedRecipients: RepeatedRecipient[] = [];
  for (const row of rows) {
    const recipients = recipientsOf(row.phones);
    const digest = createHash("sha256")
      .update(
        JSON.stringify([
          KEY_VERSION,
          campaign,
          [...recipients.bySubscriber.keys()].sort(),
          sameLineBreaks(row.mes),
          optionPart,
        ]),
      )
      .digest("hex");
    const idempotencyKey = `list-${digest.slice(0, 40)}`;
    const sameAs = firstLineOf.get(idempotencyKey);
    if (sameAs !== undefined) {
      duplicates.push({ line: row.line, sameAs });
      continue;
    }
    firstLineOf.set(idempotencyKey, row.line);
    // The key counts a subscriber once, so the message names them once: SMSC would text each spelling.
    for (const repeat of recipients.repeats) repeatedRecipients.push({ line: row.line, ...repeat });
    const phones =
      recipients.repeats.length === 0 ? row.phones : [...recipients.bySubscriber.values()].join(",");
    messages.push({ ...row, phones, idempotencyKey });
  }
  return { campaign, messages, duplicates, repeatedRecipients };
}

/** A file saved again with Windows line ends (a spreadsheet does that) does not make multi-line texts new. */
function sameLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

interface CellRecipients {
  /** Subscriber key → the spelling the cell names them by first. */
  bySubscriber: Map<string, string>;
  /** Later spellings of a subscriber already named. */
  repeats: { phone: string; sameAs: string }[];
}

/** The recipients of one cell by subscriber (core's `recipientKey`), first spelling kept. */
function recipientsOf(phones: string): CellRecipients {
  const cell: CellRecipients = { bySubscriber: new Map(), repeats: [] };
  for (const { input } of parsePhones(phones)) {
    const key = recipientKey(input);
    const known = cell.bySubscriber.get(key);
    if (known === undefined) cell.bySubscriber.set(key, input);
    else cell.repeats.push({ phone: input, sameAs: known });
  }
  return cell;
}
