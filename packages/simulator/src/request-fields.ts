import { createHash } from "node:crypto";
import { decodeQuery, OPERATIONS, type OperationName } from "./protocol.js";

/** A request's fields by name, every value a string as it travelled. */
export type Fields = Record<string, string>;

export const CREDENTIAL_FIELDS = new Set(["login", "psw", "apikey"]);

/**
 * Element fields win over the same name inside `query`; `query` itself is decoded into the object.
 * An empty optional value means "not given" (the SMSC page itself sends `'id'=>''`), so it is dropped;
 * credentials are kept as sent because an empty login has a meaning of its own.
 */
export function mergeFields(operation: OperationName, fields: Fields): Fields {
  const { query, ...elements } = fields;
  const merged: Fields =
    OPERATIONS[operation].hasQuery && query !== undefined ? { ...decodeQuery(query), ...elements } : elements;
  for (const [name, value] of Object.entries(merged)) {
    if (value === "" && !CREDENTIAL_FIELDS.has(name)) delete merged[name];
  }
  return merged;
}

/** A stable digest of a request minus its secrets: what "identical request" compares. */
export function fingerprint(login: string, fields: Fields): string {
  const hash = createHash("sha1");
  hash.update(login);
  for (const key of Object.keys(fields).sort()) {
    if (CREDENTIAL_FIELDS.has(key)) continue;
    hash.update(`\u0000${key}\u0001${fields[key]}`);
  }
  return hash.digest("hex");
}

/** Money as SMSC writes it: two decimals. */
export function money(value: number): string {
  return value.toFixed(2);
}
