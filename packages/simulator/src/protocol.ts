/**
 * Every protocol fact the simulator uses comes from @smsc-kit/core (its generated tables and the
 * helpers built on them). This module is the one place that adapts their shapes to the simulator.
 */
import {
  DELIVERY_ERRORS,
  ERROR_CODES,
  FIELDS,
  MESSAGE_KINDS,
  OPERATIONS,
  type OperationName,
  QUERY_OPTIONS,
  RATE_RULES,
  SOAP_PATH,
  STATUS_CODES,
} from "@smsc-kit/core";
import type { RateRuleSpec } from "./rate-rules.js";

export {
  buildFaultEnvelope,
  buildResponseEnvelope,
  CALLBACK_SIGNATURE,
  type CallbackFields,
  callbackSignature,
  callbackSignatureField,
  decodeQuery,
  formatSmscDate,
  isFinalStatus,
  isPossiblePhone,
  type ListEntry,
  parseListOption,
  parsePhones,
  parseValidity,
  recipientKey,
  resolveSendTime,
  SmscValidationError,
  segments,
  statusInfo,
  type ValidationIssue,
  validateRequest,
} from "@smsc-kit/core";
export { DELIVERY_ERRORS, OPERATIONS, type OperationName, SOAP_PATH, STATUS_CODES };

export type SmscMethod = "send" | "cost" | "status" | "balance";

export const RATE_RULE_SPECS: readonly RateRuleSpec[] = RATE_RULES;

const OPERATION_BY_ELEMENT = new Map<string, OperationName>(
  (Object.keys(OPERATIONS) as OperationName[]).map((name) => [OPERATIONS[name].inputElement, name]),
);

/** The operation whose input element is `element` (document/literal: the element names the operation). */
export function operationForElement(element: string): OperationName | undefined {
  return OPERATION_BY_ELEMENT.get(element);
}

export function methodOf(operation: OperationName): SmscMethod {
  return OPERATIONS[operation].method;
}

type ErrorTable = Readonly<Record<string, { readonly code: number; readonly class: string }>>;

/**
 * The catalog's error code of `method` for an error class (auth → 2, funds → 3, …), so the simulator
 * never writes an error number by hand. Throws at start-up if the catalog lacks it.
 */
export function errorCodeFor(method: SmscMethod, errorClass: string): number {
  const entry = Object.values(ERROR_CODES[method] as ErrorTable).find((e) => e.class === errorClass);
  if (entry === undefined) throw new Error(`catalog: ${method} has no error of class ${errorClass}`);
  return entry.code;
}

/** The catalog class of a send error code (`invalid_recipient`, `denied`, …), if the catalog has it. */
export function sendErrorClass(code: number): string | undefined {
  return (ERROR_CODES.send as ErrorTable)[String(code)]?.class;
}

/** The SMSC error code a bad value of this field or query option produces (catalog `smscError`). */
export function fieldErrorCode(name: string): number {
  const meta = ((FIELDS as Record<string, { smscError?: number }>)[name] ??
    (QUERY_OPTIONS as Record<string, { smscError?: number }>)[name]) as { smscError?: number } | undefined;
  if (meta?.smscError === undefined) throw new Error(`catalog: no smscError for ${name}`);
  return meta.smscError;
}

/** True when `code` is in the catalog's error table of some method. */
export function isKnownErrorCode(code: number): boolean {
  return Object.values(ERROR_CODES).some((table) => code in table);
}

export function isKnownStatus(status: number): boolean {
  return status in STATUS_CODES;
}

export function statusName(status: number): string {
  return (STATUS_CODES as Record<number, { name: string } | undefined>)[status]?.name ?? String(status);
}

export interface MessageKind {
  /** `sms` for a plain message, else the catalog kind name. */
  name: string;
  /** The status `type` number (0 for plain SMS). */
  type: number;
  ignoresMes: boolean;
}

const PLAIN_SMS: MessageKind = { name: "sms", type: 0, ignoresMes: false };

/** The message kind a request selects with its kind flags (flash=1, viber=1, …). */
const KIND_FLAGS = Object.entries(MESSAGE_KINDS).map(([name, kind]) => ({
  option: kind.option as string,
  values: kind.values as readonly string[],
  kind: { name, type: kind.statusType ?? 0, ignoresMes: kind.ignoresMes } satisfies MessageKind,
}));

export function messageKindOf(fields: Readonly<Record<string, string | undefined>>): MessageKind {
  for (const flag of KIND_FLAGS) {
    const value = fields[flag.option];
    if (value !== undefined && flag.values.includes(value)) return flag.kind;
  }
  return PLAIN_SMS;
}
