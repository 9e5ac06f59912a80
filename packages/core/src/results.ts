/**
 * Wire results (all strings) → typed results, driven by the generated SMSC_METHODS table: each result
 * field's catalog `valueType` says how to read it (numbers, decimals, SMSC dates in Moscow time, records),
 * `requiredIn` whether a success must carry it. The whole wire record is kept in `raw` so fields we do not
 * model (or that SMSC adds later) are not lost. What is behaviour rather than shape (a status's name and
 * finality from the status table) is added per method in RESULT_EXTRAS.
 */
import { FIELDS, SMSC_METHODS, type SmscMethod } from "./generated/index.js";
import { parseSmscDate } from "./moscow-time.js";
import { statusInfo } from "./protocol.js";
import type { WireValue } from "./soap/envelope.js";

export type RawResult = Readonly<Record<string, WireValue>>;

/** Properties a method's result has beyond its wire fields (behaviour, not shape). */
export interface ResultExtras {
  status: {
    /** The catalog's name of the status code (the wire `status_name` when the code is unknown). */
    statusName: string;
    /** True when the status is final (see STATUS_CODES). */
    final: boolean;
  };
}

export type ResultExtra<M extends string> = M extends keyof ResultExtras ? ResultExtras[M] : unknown;

/** A result SMSC should never send (a required value missing or not of its catalog type). */
export class MalformedResultError extends Error {
  override readonly name = "MalformedResultError";
}

type ValueType = "string" | "integer" | "decimal" | "date" | "timestamp" | "record";

interface FieldSpec {
  readonly name: string;
  readonly property: string;
  readonly valueType: ValueType;
  readonly repeated: boolean;
  readonly required: boolean;
  readonly recordFields: readonly {
    readonly name: string;
    readonly property: string;
    readonly valueType: ValueType;
    /** The item type declares it with minOccurs ≥ 1. */
    readonly required: boolean;
  }[];
}

function scalar(value: string, valueType: ValueType, name: string): unknown {
  switch (valueType) {
    case "integer":
    case "decimal":
    case "timestamp": {
      const number = Number(value.trim());
      if (value.trim() === "" || !Number.isFinite(number)) {
        throw new MalformedResultError(`result field ${name} is not a number`);
      }
      return number;
    }
    case "date": {
      const date = parseSmscDate(value.trim());
      if (date === undefined) {
        throw new MalformedResultError(`result field ${name} is not a DD.MM.YYYY hh:mm:ss date`);
      }
      return date;
    }
    default:
      return value;
  }
}

/**
 * One item of a record field, read like a whole answer: an empty or absent sub-field is left out, unless the
 * item type requires it (then the answer is malformed, as for a missing top-level required field).
 */
function record(item: Readonly<Record<string, string>>, field: FieldSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const sub of field.recordFields) {
    const value = item[sub.name];
    const name = `${field.name}.${sub.name}`;
    if (!present(value)) {
      if (sub.required) throw new MalformedResultError(`result field ${name} is missing`);
      continue;
    }
    out[sub.property] = scalar(value, sub.valueType, name);
  }
  return out;
}

/** Credentials are never copied from a request into a result. */
function isCredential(name: string): boolean {
  return (FIELDS as Readonly<Record<string, { credential: boolean } | undefined>>)[name]?.credential === true;
}

/** Empty and whitespace-only values mean "not given". */
function present(value: WireValue | undefined): value is WireValue {
  return value !== undefined && (typeof value !== "string" || value.trim() !== "");
}

/**
 * Decodes a successful answer of `method`. A required field the answer lacks is taken from the request
 * when it carried a parameter of the same name (SMSC echoes the `id` a send was given); otherwise the
 * answer is malformed.
 */
export function decodeResult<M extends SmscMethod>(
  method: M,
  raw: RawResult,
  request: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const fields = SMSC_METHODS[method].resultFields as readonly FieldSpec[];
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    let value: WireValue | undefined = raw[field.name];
    if (!present(value) && field.required && !isCredential(field.name)) value = request[field.name];
    if (!present(value)) {
      if (field.required) throw new MalformedResultError(`result field ${field.name} is missing`);
      continue;
    }
    if (field.valueType === "record") {
      const items =
        typeof value === "string"
          ? []
          : value.flatMap((item) => (typeof item === "string" ? [] : [record(item, field)]));
      out[field.property] = field.repeated ? items : items[0];
    } else if (typeof value === "string") {
      out[field.property] = scalar(value, field.valueType, field.name);
    } else {
      // A repeated scalar (xsd:string, maxOccurs > 1): each text read by the field's value type.
      const items = value.flatMap((item) =>
        typeof item === "string" ? [scalar(item, field.valueType, field.name)] : [],
      );
      out[field.property] = field.repeated ? items : items[0];
    }
  }
  const extra = (EXTRAS as Readonly<Record<string, Extra<keyof ResultExtras> | undefined>>)[method];
  if (extra !== undefined) Object.assign(out, extra(out, raw));
  out["raw"] = raw;
  return out;
}

type Extra<M extends keyof ResultExtras> = (
  decoded: Record<string, unknown>,
  raw: RawResult,
) => ResultExtras[M];

const EXTRAS: { [M in keyof ResultExtras]: Extra<M> } = {
  status: (decoded, raw) => {
    const status = decoded["status"];
    const info = typeof status === "number" ? statusInfo(status) : undefined;
    const wireName = raw["status_name"];
    return {
      statusName: info?.name ?? (typeof wireName === "string" && wireName !== "" ? wireName : "unknown"),
      final: info?.final ?? false,
    };
  },
};

/** The in-band error code, or undefined when the result reports success (absent, empty or "0"). */
export function inBandError(raw: RawResult): number | undefined {
  const value = raw["error"];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const code = Number(value.trim());
  if (!Number.isInteger(code)) throw new MalformedResultError("result field error is not an integer");
  return code === 0 ? undefined : code;
}
