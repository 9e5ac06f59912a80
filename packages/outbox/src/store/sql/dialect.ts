/**
 * The few places where PostgreSQL and SQLite spell the same idea differently. Every statement in
 * ./statements is written once against this interface (as pg-boss writes its plans once per dialect helper),
 * so a new statement costs one file and the store conformance suite proves it on both databases.
 */

/** Column types of a JSON document unpacked into rows (PostgreSQL needs them; SQLite takes JSON's own). */
export type JsonColumnType = "bigint" | "integer" | "numeric" | "text";

export interface Dialect {
  readonly name: "pg" | "sqlite";
  /** The parameter at `position` (1-based). Both dialects let a statement use a parameter more than once. */
  param(position: number): string;
  /** A sub-select of one column `value`: the elements of the JSON array in parameter position, as `type`. */
  jsonValues(position: number, type: JsonColumnType): string;
  /**
   * A table expression named `alias` of the JSON array of objects in parameter position, one row per object, with
   * the named columns. Many rows travel as one document, so a batch is one statement.
   */
  jsonRecords(position: number, alias: string, columns: Readonly<Record<string, JsonColumnType>>): string;
  /** A join that repeats each row once per element of the JSON array text in `expression`, as `alias.value`. */
  eachJsonElement(expression: string, alias: string): string;
  /**
   * The text value of a top-level key of the JSON object text in `expression`, the key in parameter position
   * (null when absent). The key must be a plain name (the caller checks it: SQLite's path has no escaping).
   */
  jsonField(expression: string, position: number): string;
  /** Appended to the claim's inner select: concurrent claimers skip each other's rows instead of waiting. */
  readonly skipLocked: string;
  /** Appended to a select that must hold the row until the transaction ends (status updates of one message). */
  readonly lockRow: string;
  /** The smallest and largest of several values (SQLite's scalar MIN and MAX); no argument may be NULL. */
  least(...values: string[]): string;
  greatest(...values: string[]): string;
}

export const pgDialect: Dialect = {
  name: "pg",
  param: (position) => `$${position}`,
  jsonValues: (position, type) =>
    `SELECT value::${type} FROM json_array_elements_text($${position}::json) AS v(value)`,
  jsonRecords: (position, alias, columns) =>
    `json_to_recordset($${position}::json) AS ${alias}(${Object.entries(columns)
      .map(([column, type]) => `${column} ${type}`)
      .join(", ")})`,
  eachJsonElement: (expression, alias) =>
    `CROSS JOIN LATERAL json_array_elements_text(${expression}::json) AS ${alias}(value)`,
  jsonField: (expression, position) => `((${expression})::json ->> $${position}::text)`,
  skipLocked: "FOR UPDATE SKIP LOCKED",
  lockRow: "FOR NO KEY UPDATE",
  least: (...values) => `LEAST(${values.join(", ")})`,
  greatest: (...values) => `GREATEST(${values.join(", ")})`,
};

/**
 * better-sqlite3 binds `?NNN` as a named parameter, so parameters are named `@p1`, `@p2`, … and the store passes
 * them as `{ p1, p2, … }` (see sqliteParameters).
 */
export const sqliteDialect: Dialect = {
  name: "sqlite",
  param: (position) => `@p${position}`,
  jsonValues: (position) => `SELECT value FROM json_each(@p${position})`,
  jsonRecords: (position, alias, columns) =>
    `(SELECT ${Object.keys(columns)
      .map((column) => `json_extract(value, '$.${column}') AS ${column}`)
      .join(", ")} FROM json_each(@p${position})) AS ${alias}`,
  eachJsonElement: (expression, alias) => `CROSS JOIN json_each(${expression}) AS ${alias}`,
  // json_extract gives SQL values for scalars; CAST makes numbers compare as the text the filter carries.
  jsonField: (expression, position) =>
    `CAST(json_extract(${expression}, '$."' || @p${position} || '"') AS TEXT)`,
  // One writer at a time: an UPDATE in SQLite already holds the database's write lock.
  skipLocked: "",
  lockRow: "",
  least: (...values) => `MIN(${values.join(", ")})`,
  greatest: (...values) => `MAX(${values.join(", ")})`,
};

/** Positional parameters as the named object better-sqlite3 binds to `@p1`, `@p2`, …. */
export function sqliteParameters(values: readonly SqlValue[]): Record<string, SqlValue> {
  const named: Record<string, SqlValue> = {};
  values.forEach((value, index) => {
    named[`p${index + 1}`] = value;
  });
  return named;
}

/** What a statement's parameters may be: both drivers bind these the same way. */
export type SqlValue = string | number | null;
