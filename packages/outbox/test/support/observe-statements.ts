import type Database from "better-sqlite3";
import type pg from "pg";
import { statementNameOf } from "../../src/store/sql/statement.js";

/**
 * Wrappers that note the name of every outbox statement that reaches the database (stores name each statement in
 * a leading comment), so the conformance suite can prove it ran every statement on every store. Everything else
 * passes through to the real pool or database untouched.
 */

function note(ran: Set<string>, sql: unknown): void {
  const name = typeof sql === "string" ? statementNameOf(sql) : null;
  if (name !== null) ran.add(name);
}

function passThrough<T extends object>(target: T, overrides: Partial<Record<PropertyKey, unknown>>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

export function observePool(pool: pg.Pool, ran: Set<string>): pg.Pool {
  const observeClient = (client: pg.PoolClient): pg.PoolClient =>
    passThrough(client, {
      query: (sql: string, values?: unknown[]) => {
        note(ran, sql);
        return client.query(sql, values);
      },
    });
  return passThrough(pool, {
    query: (sql: string, values?: unknown[]) => {
      note(ran, sql);
      return pool.query(sql, values);
    },
    connect: async () => observeClient(await pool.connect()),
  });
}

export function observeDatabase(db: Database.Database, ran: Set<string>): Database.Database {
  return passThrough(db, {
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      const run =
        (method: "all" | "get" | "run") =>
        (...parameters: unknown[]) => {
          note(ran, sql);
          return statement[method](...parameters);
        };
      return passThrough(statement, { all: run("all"), get: run("get"), run: run("run") });
    },
  });
}
