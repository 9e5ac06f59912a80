/** Typed look-ups into core's generated code tables, so the rest of the package never indexes them by hand. */
import { statusInfo as coreStatusInfo, DELIVERY_ERRORS, fieldSchemas } from "@smsc-kit/core";

export interface StatusCodeInfo {
  readonly code: number;
  readonly name: string;
  readonly final: boolean;
}

export interface DeliveryErrorInfo {
  readonly code: number;
  readonly name: string;
}

const errorTable: Readonly<Record<number, DeliveryErrorInfo | undefined>> = DELIVERY_ERRORS;

export function statusInfo(code: number): StatusCodeInfo | undefined {
  return coreStatusInfo(code);
}

export function deliveryErrorInfo(code: number): DeliveryErrorInfo | undefined {
  return errorTable[code];
}

/** SMSC's rule for message ids (catalog), as core's generated schema states it; undefined when valid. */
export function messageIdProblem(id: string): string | undefined {
  const result = fieldSchemas.id.safeParse(id);
  if (result.success) return undefined;
  const message = result.error.issues[0]?.message ?? "is not a valid SMSC message id";
  return message.replace(/^id: /, "");
}
