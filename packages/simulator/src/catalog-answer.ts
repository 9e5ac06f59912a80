import { FIELDS, formatSmscDate, OPERATIONS, type OperationName, SMSC_METHODS } from "./protocol.js";
import type { ResultFields } from "./status-result.js";

type ResultFieldSpec = (typeof SMSC_METHODS)[keyof typeof SMSC_METHODS]["resultFields"][number];
type ExampleValue = string | readonly string[] | readonly Readonly<Record<string, string>>[];

/** What the simulator knows about the caller when it answers from the catalog. */
export interface CatalogAnswerState {
  /** The account's balance in wire form (`money`), for a `balance` field. */
  balance: string;
}

/** Element fields of the requests (not credentials, not `query` options): what an answer may echo. */
const ECHOED = new Set(
  Object.entries(FIELDS as Readonly<Record<string, { credential: boolean }>>)
    .filter(([, meta]) => !meta.credential)
    .map(([name]) => name),
);

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

/** Copies an example value, so an answer never shares (and a caller never changes) the generated table. */
function copy(value: ExampleValue): string | string[] | Record<string, string>[] {
  if (typeof value === "string") return value;
  return value.map((item) => (typeof item === "string" ? item : { ...item })) as
    | string[]
    | Record<string, string>[];
}

/**
 * The answer of an operation whose method the simulator has no behaviour of its own for: the operation's
 * catalog `example` when it declares one (record lists included), else each result field's `example` or a
 * default of its value type (records then left out). Then the fields the simulator keeps state for are taken
 * from that state (`balance` from the account) and a field the request carried in its element under the same
 * name is echoed (SMSC answers the `phone` or `id` it was asked about; credentials and `query` options never). Only fields of the operation's result type, up to the
 * requested `all` level. Validation, authentication and rate rules have run before this.
 */
export function catalogAnswer(
  operation: OperationName,
  fields: Readonly<Record<string, string>>,
  now: number,
  state: CatalogAnswerState,
): ResultFields {
  const meta = OPERATIONS[operation];
  const example = meta.example as Readonly<Record<string, ExampleValue>> | null;
  const all = Number(fields["all"] ?? "0");
  const level = Number.isFinite(all) ? all : 0;
  const decoded = new Map<string, ResultFieldSpec>(
    (SMSC_METHODS[meta.method].resultFields as readonly ResultFieldSpec[]).map((field) => [
      field.name,
      field,
    ]),
  );
  const result: ResultFields = {};
  for (const { name } of meta.resultFields) {
    const field = decoded.get(name);
    if (field === undefined) {
      // `error`, which no decoded result has: an example may state the success code ("0").
      const stated = example?.[name];
      if (stated !== undefined) result[name] = copy(stated);
      continue;
    }
    if (field.allLevel !== null && field.allLevel > level) continue;
    let value: ResultFields[string];
    if (name === "balance") value = state.balance;
    else if (ECHOED.has(name) && field.valueType !== "record" && fields[name]) value = fields[name];
    else if (example !== null) value = example[name] === undefined ? undefined : copy(example[name]);
    else if (field.valueType !== "record") value = field.example ?? defaultValue(field, now);
    if (value !== undefined) result[name] = value;
  }
  return result;
}
