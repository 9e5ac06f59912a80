/**
 * Which claimed rows may share one send request, and how many of them fit. A row travels with others when
 * every send option but `phones` and `mes` is the same (the group key), its recipients are plain phone numbers
 * none of which is already in the request (SMSC keeps a status per id and phone), and the request stays within
 * the limits. Anything with per-request meaning travels alone, exactly as before coalescing.
 */
import { parsePhones } from "@smsc-kit/core";
import { readStoredRequest } from "../message.js";
import type { ClaimedRow } from "../store/store.js";
import type { CoalesceSettings } from "./settings.js";

/** Options that give a request a meaning of its own: a row carrying one never shares its request. */
const OWN_REQUEST_OPTIONS = new Set(["list", "id", "op", "fmt", "charset", "pp"]);

/** A row ready to share a request: its text, recipients, and the key of the options it shares. */
export interface Passenger {
  row: ClaimedRow;
  mes: string;
  /** The row's recipients as stored (core's recipientKey), each a phone number. */
  phones: readonly string[];
  /** The send fields without phones and mes: what every row of one request has in common. */
  options: Record<string, unknown>;
  key: string;
}

function canonical(value: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );
}

/**
 * The row as a passenger, or null when it must travel alone: coalescing off, the message asked for it
 * (`travelAlone`), an earlier attempt may have reached SMSC (it is reconciled on its own first), an option with
 * per-request meaning, or a recipient other than a phone number (a group expands on SMSC's side, so distinct
 * recipients could not be promised; e-mail and Telegram ids stay on the path they were proven on).
 */
export function passengerOf(row: ClaimedRow, settings: CoalesceSettings | null): Passenger | null {
  if (settings === null || row.reconcile) return null;
  const request = readStoredRequest(row.request);
  if (request.travelAlone === true) return null;
  const { phones: _phones, mes, ...options } = request.send;
  if (typeof mes !== "string" || mes === "") return null;
  for (const key of Object.keys(options)) if (OWN_REQUEST_OPTIONS.has(key)) return null;
  // A send with cost=1 is a price quote, not a send.
  if (String(options.cost ?? "") === "1") return null;
  if (row.recipients.length === 0) return null;
  for (const recipient of row.recipients) if (parsePhones(recipient)[0]?.kind !== "phone") return null;
  return { row, mes, phones: row.recipients, options, key: canonical(options) };
}

/**
 * A text that can be a `list` line: core's list format writes a newline inside a text as the two characters
 * `\n`, so a text already holding those characters (or a lone carriage return, which would come back as a
 * newline) would not arrive as written.
 */
function fitsListLine(mes: string): boolean {
  return !mes.includes("\\n") && !mes.includes("\r");
}

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * The passengers that go with `first` in one request, `first` included, in the order given: the same key,
 * distinct recipients, within the limits. With one text for all it is a `phones` list; with several, `list`
 * lines (when every text can be a line). The rest wait for another request.
 */
export function boardBatch(
  first: Passenger,
  candidates: readonly Passenger[],
  settings: CoalesceSettings,
): Passenger[] {
  const batch = [first];
  const seen = new Set(first.phones);
  let recipients = first.phones.length;
  let sameText = true;
  // Bytes of both shapes so far: a phones list (the text once) and list lines (each text).
  let phonesBytes = utf8(first.mes) + first.phones.reduce((sum, p) => sum + utf8(p) + 1, 0);
  let listBytes = utf8(first.phones.join(",")) + 1 + utf8(first.mes) + 1;
  const listable = fitsListLine(first.mes);
  for (const candidate of candidates) {
    if (candidate === first || candidate.key !== first.key) continue;
    if (candidate.phones.some((phone) => seen.has(phone))) continue;
    const nextRecipients = recipients + candidate.phones.length;
    const nextSame: boolean = sameText && candidate.mes === first.mes;
    const addedPhones = candidate.phones.reduce((sum, p) => sum + utf8(p) + 1, 0);
    const nextPhonesBytes = phonesBytes + addedPhones;
    const nextListBytes = listBytes + utf8(candidate.phones.join(",")) + 1 + utf8(candidate.mes) + 1;
    const fits = nextSame
      ? nextRecipients <= settings.maxRecipients && nextPhonesBytes <= settings.maxBytes
      : listable &&
        fitsListLine(candidate.mes) &&
        batch.length + 1 <= settings.maxListLines &&
        nextRecipients <= settings.maxRecipients &&
        nextListBytes <= settings.maxBytes;
    if (!fits) continue;
    batch.push(candidate);
    for (const phone of candidate.phones) seen.add(phone);
    recipients = nextRecipients;
    sameText = nextSame;
    phonesBytes = nextPhonesBytes;
    listBytes = nextListBytes;
    if (recipients >= settings.maxRecipients) break;
  }
  return batch;
}
