import { type SendRequest, validateRequest } from "@smsc-kit/core";
import { OutboxValidationError } from "./errors.js";
import { checkQuietHours, type QuietHours } from "./quiet-hours.js";
import { recipientsOf } from "./recipients.js";
import { generateSmscId } from "./smsc-id.js";
import type { NewRow } from "./store/store.js";
import { type MaxsmsOverflow, type TextOverflow, textOverflows } from "./text-length.js";

/** The outbox's own per-message options, next to SMSC's send parameters. */
export interface OutboxMessageOptions {
  /** Round-trips to every event of the row (your order id, user id, …). Must be JSON. */
  meta?: Record<string, unknown>;
  /** The same key returns the same row instead of a second one (per batch element; see also enqueue options). */
  idempotencyKey?: string;
  /** Do not send inside this daily window of the recipient's local time; the message waits, it is never dropped. */
  quietHours?: QuietHours;
  /** Earliest time to send (Date or epoch ms). */
  notBefore?: Date | number;
  /**
   * Send this message in a request of its own, never together with other messages (see the README, "Many
   * messages per request"): e.g. when its SMSC id must name it alone.
   */
  travelAlone?: boolean;
}

/** SMSC send parameters by SMSC's own names (`phones`, `mes`, `sender`, `translit`, …), without `id`. */
export type SmscSendFields = Omit<SendRequest, "id">;

export type OutboxMessage = SmscSendFields & OutboxMessageOptions;

/** What a row keeps of a message: SMSC's fields (exactly what is sent) and the outbox's own options. */
export type StoredRequest = {
  send: Record<string, unknown>;
  quietHours?: QuietHours;
  travelAlone?: true;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A claimed row's request as prepareRow stored it; read back from the database, so checked rather than cast. */
export function readStoredRequest(request: Record<string, unknown>): StoredRequest {
  const send = request.send;
  if (!isRecord(send))
    throw new Error("the row's request holds no SMSC send fields; enqueue did not write it");
  const stored: StoredRequest = { send };
  if (request.quietHours !== undefined) stored.quietHours = checkQuietHours(request.quietHours);
  if (request.travelAlone === true) stored.travelAlone = true;
  return stored;
}

const OWN_KEYS = new Set(["meta", "idempotencyKey", "quietHours", "notBefore", "travelAlone"]);

export interface PrepareOptions {
  idempotencyKey?: string | undefined;
  now: number;
  idPrefix: string;
  /** What to do with a text SMSC would cut to `maxsms` parts (see text-length.ts). */
  maxsmsOverflow: MaxsmsOverflow;
  /** Told, in "warn" mode, about the message at `position` of the input whose text SMSC will cut. */
  onOverflow?: (position: number, overflows: TextOverflow[], meta: Record<string, unknown> | null) => void;
}

export function prepareRows(input: readonly OutboxMessage[], options: PrepareOptions): NewRow[] {
  return [...prepareChunks(input, options, input.length)].flat();
}

/**
 * Validates and converts messages chunk by chunk, lazily, so a large batch can be written while the next chunk is
 * prepared. A bad message throws when its chunk is reached; the store then rolls back what it wrote.
 */
export function* prepareChunks(
  input: readonly OutboxMessage[],
  options: PrepareOptions,
  chunkSize: number,
): Generator<NewRow[]> {
  if (options.idempotencyKey !== undefined && input.length !== 1) {
    throw new OutboxValidationError(
      "idempotencyKey",
      "single-message",
      "the idempotencyKey option applies to one message; give each message of a batch its own idempotencyKey",
    );
  }
  const batch = input.length > 1;
  for (let start = 0; start < input.length; start += chunkSize) {
    const rows: NewRow[] = [];
    const end = Math.min(input.length, start + chunkSize);
    for (let i = start; i < end; i++) rows.push(prepareRow(input[i]!, i, batch ? i : undefined, options));
    yield rows;
  }
}

function prepareRow(
  message: OutboxMessage,
  position: number,
  index: number | undefined,
  options: PrepareOptions,
): NewRow {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new OutboxValidationError(
      "message",
      "object",
      "a message is an object of SMSC send parameters",
      index,
    );
  }
  const send: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (!OWN_KEYS.has(key) && value !== undefined) send[key] = value;
  }
  if ("id" in send) {
    throw new OutboxValidationError(
      "id",
      "assigned-by-outbox",
      "id is assigned by the outbox (every attempt of a row reuses it); use meta or idempotencyKey for your own ids",
      index,
    );
  }
  if (Array.isArray(send.phones)) send.phones = send.phones.join(",");
  const smscId = generateSmscId(options.idPrefix);
  // The id is generated in a form checked once against core's `id` schema (createOutbox), not per message.
  const checked = validateRequest("send", send);
  if (!checked.ok) {
    const error = checked.error;
    throw new OutboxValidationError(error.field, error.rule, error.message, index, error.smscError, {
      cause: error,
    });
  }
  const overflows = textOverflows(send);
  const [overflow] = overflows;
  if (overflow !== undefined && options.maxsmsOverflow === "reject") {
    throw new OutboxValidationError(overflow.field, overflow.rule, overflow.message, index);
  }
  const idempotencyKey = checkKey(
    position === 0 ? (options.idempotencyKey ?? message.idempotencyKey) : message.idempotencyKey,
    index,
  );
  const meta = checkMeta(message.meta, index);
  const runAt = checkNotBefore(message.notBefore, options.now, index);
  const request: StoredRequest = { send };
  if (message.quietHours !== undefined) request.quietHours = checkQuietHours(message.quietHours, index);
  if (message.travelAlone !== undefined && typeof message.travelAlone !== "boolean")
    throw new OutboxValidationError("travelAlone", "boolean", "travelAlone must be true or false", index);
  if (message.travelAlone === true) request.travelAlone = true;
  if (overflow !== undefined) options.onOverflow?.(position, overflows, meta);
  return {
    smscId,
    idempotencyKey,
    request,
    recipients: recipientsOf(typeof send.phones === "string" ? send.phones : ""),
    meta,
    runAt,
    createdAt: options.now,
  };
}

function checkKey(key: unknown, index: number | undefined): string | null {
  if (key === undefined || key === null) return null;
  if (typeof key !== "string" || key.length === 0 || key.length > 200) {
    throw new OutboxValidationError(
      "idempotencyKey",
      "string-1-200",
      "idempotencyKey must be a string of 1–200 characters",
      index,
    );
  }
  return key;
}

function checkMeta(meta: unknown, index: number | undefined): Record<string, unknown> | null {
  if (meta === undefined || meta === null) return null;
  if (typeof meta !== "object" || Array.isArray(meta)) {
    throw new OutboxValidationError("meta", "object", "meta must be a plain JSON object", index);
  }
  try {
    return JSON.parse(JSON.stringify(meta)) as Record<string, unknown>;
  } catch (err) {
    throw new OutboxValidationError("meta", "json", "meta must be JSON-serialisable", index, undefined, {
      cause: err,
    });
  }
}

function checkNotBefore(value: unknown, now: number, index: number | undefined): number {
  if (value === undefined || value === null) return now;
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    throw new OutboxValidationError(
      "notBefore",
      "time",
      "notBefore must be a Date or epoch milliseconds",
      index,
    );
  }
  return Math.max(now, Math.floor(time));
}
