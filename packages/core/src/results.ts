/**
 * Wire results (all strings) → typed results: numbers as numbers, SMSC dates as Dates (Moscow time,
 * see moscow-time.ts), the whole wire record kept in `raw` so fields we do not model (or that SMSC adds
 * later) are not lost.
 */
import { parseSmscDate } from "./moscow-time.js";
import { statusInfo } from "./protocol.js";
import type { WireValue } from "./soap/envelope.js";

export type RawResult = Readonly<Record<string, WireValue>>;

export interface SendResult {
  id: string;
  cnt: number;
  cost?: number;
  balance?: number;
  /** Per-recipient problems (`err=1`): the phone and its status code. */
  errors?: { phone: string; status: number }[];
  raw: RawResult;
}

export interface CostResult {
  cost: number;
  cnt: number;
  raw: RawResult;
}

export interface StatusResult {
  status: number;
  statusName: string;
  final: boolean;
  lastDate?: Date;
  lastTimestamp?: number;
  err?: number;
  sendDate?: Date;
  sendTimestamp?: number;
  phone?: string;
  cost?: number;
  senderId?: string;
  message?: string;
  operator?: string;
  region?: string;
  smsCnt?: number;
  raw: RawResult;
}

export interface BalanceResult {
  balance: number;
  raw: RawResult;
}

/** A result SMSC should never send (a required number missing or not a number). */
export class MalformedResultError extends Error {
  override readonly name = "MalformedResultError";
}

function text(raw: RawResult, name: string): string | undefined {
  const value = raw[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function optionalNumber(raw: RawResult, name: string): number | undefined {
  const value = text(raw, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new MalformedResultError(`result field ${name} is not a number`);
  return number;
}

function requiredNumber(raw: RawResult, name: string): number {
  const number = optionalNumber(raw, name);
  if (number === undefined) throw new MalformedResultError(`result field ${name} is missing`);
  return number;
}

function optionalDate(raw: RawResult, name: string): Date | undefined {
  const value = text(raw, name);
  if (value === undefined) return undefined;
  const date = parseSmscDate(value);
  if (date === undefined)
    throw new MalformedResultError(`result field ${name} is not a DD.MM.YYYY hh:mm:ss date`);
  return date;
}

/** Assign only defined values, so optional properties are absent rather than `undefined`. */
function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** The in-band error code, or undefined when the result reports success (absent, empty or "0"). */
export function inBandError(raw: RawResult): number | undefined {
  const value = text(raw, "error");
  if (value === undefined) return undefined;
  const code = Number(value);
  if (!Number.isInteger(code)) throw new MalformedResultError("result field error is not an integer");
  return code === 0 ? undefined : code;
}

export function toSendResult(raw: RawResult, requestedId: string | undefined): SendResult {
  const id = text(raw, "id") ?? requestedId;
  if (id === undefined) throw new MalformedResultError("result field id is missing");
  const errorsValue = raw["errors"];
  const errors = Array.isArray(errorsValue)
    ? (errorsValue as readonly Readonly<Record<string, string>>[]).map((item) => {
        const status = Number(item["status"]);
        if (!Number.isFinite(status)) throw new MalformedResultError("errors.status is not a number");
        return { phone: item["phone"] ?? "", status };
      })
    : undefined;
  return withOptional<SendResult>(
    { id, cnt: requiredNumber(raw, "cnt"), raw },
    { cost: optionalNumber(raw, "cost"), balance: optionalNumber(raw, "balance"), errors },
  );
}

export function toCostResult(raw: RawResult): CostResult {
  return { cost: requiredNumber(raw, "cost"), cnt: requiredNumber(raw, "cnt"), raw };
}

export function toStatusResult(raw: RawResult): StatusResult {
  const status = requiredNumber(raw, "status");
  const info = statusInfo(status);
  return withOptional<StatusResult>(
    {
      status,
      statusName: info?.name ?? text(raw, "status_name") ?? "unknown",
      final: info?.final ?? false,
      raw,
    },
    {
      lastDate: optionalDate(raw, "last_date"),
      lastTimestamp: optionalNumber(raw, "last_timestamp"),
      err: optionalNumber(raw, "err"),
      sendDate: optionalDate(raw, "send_date"),
      sendTimestamp: optionalNumber(raw, "send_timestamp"),
      phone: text(raw, "phone"),
      cost: optionalNumber(raw, "cost"),
      senderId: text(raw, "sender_id"),
      message: typeof raw["message"] === "string" ? raw["message"] : undefined,
      operator: text(raw, "operator"),
      region: text(raw, "region"),
      smsCnt: optionalNumber(raw, "sms_cnt"),
    },
  );
}

export function toBalanceResult(raw: RawResult): BalanceResult {
  return { balance: requiredNumber(raw, "balance"), raw };
}
