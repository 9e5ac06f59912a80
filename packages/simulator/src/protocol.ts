/**
 * Every protocol fact the simulator uses comes from @smsc-kit/core (its generated tables and the
 * helpers built on them). This module is the one place that adapts their shapes to the simulator.
 */
import {
  DELIVERY_ERRORS,
  ERROR_CODES,
  type ErrorClass,
  errorCodeFor,
  FIELDS,
  OPERATIONS,
  type OperationName,
  parameterErrorCode,
  RATE_RULES,
  SMSC_METHODS,
  type SmscMethod,
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
  errorCodeFor,
  formatSmscDate,
  isFinalStatus,
  isPossiblePhone,
  type ListEntry,
  type MessageKindInfo as MessageKind,
  messageKindOf,
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
export {
  DELIVERY_ERRORS,
  FIELDS,
  OPERATIONS,
  type OperationName,
  SMSC_METHODS,
  type SmscMethod,
  SOAP_PATH,
  STATUS_CODES,
};

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

/**
 * The catalog's error code of `method` for an error class, so the simulator never writes an error number
 * by hand. Throws at start-up if the catalog lacks it.
 */
export function requireErrorCode(method: SmscMethod, errorClass: ErrorClass): number {
  const code = errorCodeFor(method, errorClass);
  if (code === undefined) throw new Error(`catalog: ${method} has no error of class ${errorClass}`);
  return code;
}

type ErrorTable = Readonly<Record<string, { readonly code: number; readonly class: string }>>;

/** The catalog class of a send error code (`invalid_recipient`, `denied`, …), if the catalog has it. */
export function sendErrorClass(code: number): string | undefined {
  return (ERROR_CODES.send as ErrorTable)[String(code)]?.class;
}

/** The SMSC error code a bad value of this field or query option produces (catalog `smscError`). */
export function fieldErrorCode(name: string): number {
  const code = parameterErrorCode(name);
  if (code === undefined) throw new Error(`catalog: no smscError for ${name}`);
  return code;
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
