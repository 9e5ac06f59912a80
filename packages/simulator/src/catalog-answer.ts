import { formatSmscDate, SMSC_METHODS, type SmscMethod } from "./protocol.js";
import type { ResultFields } from "./status-result.js";

type ResultFieldSpec = (typeof SMSC_METHODS)[SmscMethod]["resultFields"][number];

/** A value of the field's catalog type when the catalog declares no example. */
function defaultValue(field: ResultFieldSpec, now: number): string | undefined {
  switch (field.valueType) {
    case "integer":
      return "0";
    case "decimal":
      return "0.00";
    case "timestamp":
      return String(Math.floor(now / 1000));
    case "date":
      return formatSmscDate(new Date(now));
    case "string":
      // Nothing sensible to invent: left out unless every answer must carry it.
      return field.required ? "0" : undefined;
    default:
      return undefined;
  }
}

/**
 * The answer of a method the simulator has no behaviour of its own for: every result field of the method
 * (up to the requested `all` level), each the catalog's `example` or a default of its value type. Records
 * are left out. Validation, authentication and rate rules have run before this.
 */
export function catalogAnswer(
  method: SmscMethod,
  fields: Readonly<Record<string, string>>,
  now: number,
): ResultFields {
  const all = Number(fields["all"] ?? "0");
  const result: ResultFields = {};
  for (const field of SMSC_METHODS[method].resultFields as readonly ResultFieldSpec[]) {
    if (field.valueType === "record") continue;
    if (field.allLevel !== null && field.allLevel > (Number.isFinite(all) ? all : 0)) continue;
    const value = field.example ?? defaultValue(field, now);
    if (value !== undefined) result[field.name] = value;
  }
  return result;
}
