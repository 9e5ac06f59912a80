/**
 * Protocol helpers over the generated catalog tables: error classification, status facts and the
 * monotonic status order, and the choice between an operation and its `*2` twin. Nothing here
 * restates a code, a text or a rule; it only looks them up.
 */

import type { ErrorClass, SmscMethod } from "./generated/index.js";
import {
  ERROR_CODES,
  FIELDS,
  METHOD_OPERATIONS,
  OPERATIONS,
  type OperationName,
  QUERY_OPTIONS,
  STATUS_CODES,
  STATUS_TRANSITIONS,
} from "./generated/index.js";

export interface ErrorCatalogEntry {
  code: number;
  text: string;
  textRu?: string;
  class: ErrorClass;
}

/**
 * The catalog entry for an in-band error code. A code the catalog does not know (SMSC added one) is
 * classed `invalid_request`: permanent, so nobody retries blindly or pauses on it.
 */
export function classifyError(method: SmscMethod, code: number): ErrorCatalogEntry {
  const table = ERROR_CODES[method] as Readonly<Record<number, ErrorCatalogEntry | undefined>>;
  const entry = table[code];
  if (entry !== undefined) return entry;
  return { code, text: `Unknown SMSC error code ${code}.`, class: "invalid_request" };
}

/**
 * The catalog's error code of `method` for an error class (auth → 2, funds → 3, …), or undefined when the
 * method's list has none of that class.
 */
export function errorCodeFor(method: SmscMethod, errorClass: ErrorClass): number | undefined {
  const table = ERROR_CODES[method] as Readonly<Record<number, ErrorCatalogEntry | undefined>>;
  return Object.values(table).find((entry) => entry?.class === errorClass)?.code;
}

/** The SMSC error code a bad value of this field or query option yields (catalog `smscError`). */
export function parameterErrorCode(name: string): number | undefined {
  const meta =
    (FIELDS as Readonly<Record<string, { smscError: number } | undefined>>)[name] ??
    (QUERY_OPTIONS as Readonly<Record<string, { smscError: number } | undefined>>)[name];
  return meta?.smscError;
}

export interface StatusCatalogEntry {
  code: number;
  name: string;
  nameRu: string;
  description: string;
  final: boolean;
  kind: string;
}

export function statusInfo(status: number): StatusCatalogEntry | undefined {
  return (STATUS_CODES as Readonly<Record<number, StatusCatalogEntry | undefined>>)[status];
}

/** True for statuses after which SMSC reports nothing new except along the allowed transitions. */
export function isFinalStatus(status: number): boolean {
  return statusInfo(status)?.final ?? false;
}

/**
 * May a message move from `from` to `to`? Only forward moves listed in the catalog are allowed
 * (e.g. waiting → delivered, delivered → read); a repeat of the same status is not a move, and
 * anything else is a late or reordered report to ignore.
 */
export function canTransition(from: number, to: number): boolean {
  const allowed = (STATUS_TRANSITIONS as Readonly<Record<number, readonly number[] | undefined>>)[from];
  return allowed?.includes(to) ?? false;
}

export type OperationMeta = (typeof OPERATIONS)[OperationName];

/**
 * Split validated wire fields into the chosen operation's elements and its `query` options. The plain
 * operation is used when every field is one of its elements; otherwise the `*2` twin carries the rest
 * in `query` (cost2 and status2 declare `query` required, so it may be empty).
 */
/** Element field names per operation, worked out once (this runs on every call). */
const ELEMENT_NAMES = new Map<string, ReadonlySet<string>>(
  (Object.keys(OPERATIONS) as OperationName[]).map((name) => [
    name,
    new Set<string>(OPERATIONS[name].inputFields.map((field) => field.name)),
  ]),
);

export function chooseOperation(
  method: SmscMethod,
  fields: Readonly<Record<string, string>>,
): { operation: OperationMeta; element: Record<string, string>; query: Record<string, string> } {
  const { plain, withQuery } = METHOD_OPERATIONS[method] as {
    plain: OperationName;
    withQuery: OperationName | null;
  };
  const plainNames = ELEMENT_NAMES.get(plain) as ReadonlySet<string>;
  let needsQuery = false;
  for (const name in fields) {
    if (!plainNames.has(name)) {
      needsQuery = true;
      break;
    }
  }
  const chosen = needsQuery && withQuery !== null ? withQuery : plain;
  const elementNames = ELEMENT_NAMES.get(chosen) as ReadonlySet<string>;
  const element: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const name in fields) {
    if (name === "query") continue;
    if (elementNames.has(name)) element[name] = fields[name] as string;
    else query[name] = fields[name] as string;
  }
  return { operation: OPERATIONS[chosen], element, query };
}
