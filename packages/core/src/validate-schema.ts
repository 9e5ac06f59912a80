/**
 * The method's request schema narrowed to the keys one request carries (plus those it must carry), with the
 * parameters something else stands in for made optional: the same verdict as the whole strict schema,
 * without walking the dozens of options the request does not use. Built once per combination.
 */
import type { z } from "zod";
import { METHOD_SCHEMAS, type SmscMethod } from "./generated/index.js";

/** Schemas narrowed to one request's keys, by method, waived parameters and keys (bounded). */
const narrowedSchemas = new Map<string, z.ZodType>();
const MAX_NARROWED = 512;

/**
 * The last narrowed schema handed out and what it was for: a caller sending requests of one shape (the
 * usual case) gets it back by comparing the key lists, without building the cache key.
 */
let lastNarrowed:
  | { method: SmscMethod; waived: readonly string[]; keys: readonly string[]; schema: z.ZodType }
  | undefined;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keys a schema requires (not optional in its shape). */
const requiredKeys = new Map<z.ZodObject, string[]>();
function requiredOf(schema: z.ZodObject): string[] {
  let keys = requiredKeys.get(schema);
  if (keys === undefined) {
    keys = Object.entries(schema.shape)
      .filter(([, field]) => (field as z.ZodType)._zod.optin !== "optional")
      .map(([name]) => name);
    requiredKeys.set(schema, keys);
  }
  return keys;
}

/**
 * The method's schema with the waived parameters optional, narrowed to the keys the request carries plus
 * the ones it must carry: the same verdict as the whole strict schema (an unknown key is still refused, a
 * missing required one still reported), without walking the dozens of options the request does not use.
 * Built once per combination.
 */
export function schemaFor(
  method: SmscMethod,
  waived: ReadonlySet<string>,
  keys: readonly string[],
): z.ZodType {
  const schema = METHOD_SCHEMAS[method] as unknown as z.ZodObject;
  const optional = waived.size === 0 ? [] : [...waived].filter((name) => name in schema.shape).sort();
  const last = lastNarrowed;
  if (
    last !== undefined &&
    last.method === method &&
    sameList(last.waived, optional) &&
    sameList(last.keys, keys)
  ) {
    return last.schema;
  }
  const narrowed = narrowedSchemaFor(method, schema, optional, keys);
  lastNarrowed = { method, waived: optional, keys, schema: narrowed };
  return narrowed;
}

function narrowedSchemaFor(
  method: SmscMethod,
  schema: z.ZodObject,
  optional: readonly string[],
  keys: readonly string[],
): z.ZodType {
  const cacheKey = `${method}\u0000${optional.join(",")}\u0000${keys.join(",")}`;
  let narrowed = narrowedSchemas.get(cacheKey);
  if (narrowed === undefined) {
    const relaxed =
      optional.length === 0
        ? schema
        : schema.partial(
            Object.fromEntries(optional.map((name) => [name, true as const])) as Parameters<
              z.ZodObject["partial"]
            >[0],
          );
    const mask: Record<string, true> = {};
    for (const name of [...keys, ...requiredOf(relaxed)]) if (name in schema.shape) mask[name] = true;
    // Keys outside the shape stay outside the mask: the narrowed strict schema refuses them as unknown.
    narrowed = relaxed.pick(mask as Parameters<z.ZodObject["pick"]>[0]) as unknown as z.ZodType;
    if (narrowedSchemas.size < MAX_NARROWED) narrowedSchemas.set(cacheKey, narrowed);
  }
  return narrowed;
}
