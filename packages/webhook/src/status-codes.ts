/** Typed look-ups into core's generated code tables, so the rest of the package never indexes them by hand. */
import { DELIVERY_ERRORS, STATUS_CODES } from "@smsc-kit/core";

export interface StatusCodeInfo {
  readonly code: number;
  readonly name: string;
  readonly final: boolean;
}

export interface DeliveryErrorInfo {
  readonly code: number;
  readonly name: string;
}

const statusTable: Readonly<Record<number, StatusCodeInfo | undefined>> = STATUS_CODES;
const errorTable: Readonly<Record<number, DeliveryErrorInfo | undefined>> = DELIVERY_ERRORS;

export function statusInfo(code: number): StatusCodeInfo | undefined {
  return statusTable[code];
}

export function deliveryErrorInfo(code: number): DeliveryErrorInfo | undefined {
  return errorTable[code];
}
