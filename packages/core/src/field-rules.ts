/** Building validation errors that carry the code SMSC itself would answer for the field. */

import { SmscValidationError, type ValidationIssue } from "./errors.js";
import { FIELDS, QUERY_OPTIONS } from "./generated/index.js";

type ParameterMeta = { smscError: number };

/** SMSC's error code for a bad value of `field` (7 phones, 5 time, 1 otherwise — from the catalog). */
export function smscErrorFor(field: string): number {
  const meta =
    (FIELDS as Readonly<Record<string, ParameterMeta | undefined>>)[field] ??
    (QUERY_OPTIONS as Readonly<Record<string, ParameterMeta | undefined>>)[field];
  return meta?.smscError ?? 1;
}

export function issue(field: string, rule: string, message: string): ValidationIssue {
  return { field, rule, message, smscError: smscErrorFor(field) };
}

export function invalidField(field: string, rule: string, message: string): SmscValidationError {
  return new SmscValidationError([issue(field, rule, message)]);
}
