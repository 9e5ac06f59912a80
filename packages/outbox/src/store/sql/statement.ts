import type { Dialect, SqlValue } from "./dialect.js";

/** The outbox's table names as a statement writes them (quoted and schema-qualified on PostgreSQL). */
export interface Tables {
  readonly messages: string;
  readonly statuses: string;
  readonly migrations: string;
  /** Leased request slots of each SMSC login's shared budget (../../budget/). */
  readonly slots: string;
  /** Each SMSC login's pause and IP-block state and its probe lease, shared by every process (../../budget/). */
  readonly holds: string;
  /** Each SMSC login's sliding-window counters (requests per message per minute, …) (../../budget/). */
  readonly windows: string;
  /** Each SMSC login's subscriber-flood runs: per phone, the current run's length and end (../../flood/). */
  readonly floodRuns: string;
  /** Every send attempt's outcome, kept durably for the dashboard's message page (insights.attempts). */
  readonly attempts: string;
  /** The last reading of each SMSC login's polled figures (the balance), shared by every process. */
  readonly readings: string;
}

/**
 * One SQL statement, written once for both stores: its text through the dialect, its parameters from a typed
 * input in one fixed order. A store only executes statements; what to execute is decided in ../planner.ts.
 */
export interface Statement<Input> {
  readonly name: string;
  /** "rows": a SELECT or a RETURNING the store reads; "count": only how many rows changed. */
  readonly returns: "rows" | "count";
  sql(dialect: Dialect, tables: Tables): string;
  parameters(input: Input): SqlValue[];
}

/** How a store runs a statement: PostgreSQL answers with a promise, SQLite synchronously. */
export type Execute<Result> = <Input>(statement: Statement<Input>, input: Input) => Result;

/**
 * A statement with its input, as the planner chooses it: the store hands over its executor and gets the
 * result, without restating which statement an outcome becomes.
 */
export type BoundStatement = <Result>(execute: Execute<Result>) => Result;

export function bind<Input>(statement: Statement<Input>, input: Input): BoundStatement {
  return (execute) => execute(statement, input);
}

/** Identity, so each statement module states its input type once and the compiler checks the rest. */
export function statement<Input>(definition: Statement<Input>): Statement<Input> {
  return definition;
}

const NAME_COMMENT = /^\/\* smsc-outbox:([a-z-]+) \*\//;

/**
 * The text a store sends: the statement's SQL behind a comment naming it, so pg_stat_statements, slow-query
 * logs and the conformance suite can tell which outbox statement they see.
 */
export function renderStatement<Input>(
  statement: Statement<Input>,
  dialect: Dialect,
  tables: Tables,
): string {
  return `/* smsc-outbox:${statement.name} */ ${statement.sql(dialect, tables).trim()}`;
}

/** The statement name in a text made by renderStatement, or null for any other SQL. */
export function statementNameOf(sql: string): string | null {
  return NAME_COMMENT.exec(sql)?.[1] ?? null;
}
