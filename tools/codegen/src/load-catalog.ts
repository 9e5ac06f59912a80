import { parseDocument } from "yaml";
import type { z } from "zod";
import { type Catalog, catalogSchema } from "./catalog-schema.js";
import { SpecError } from "./spec-error.js";

function pathLabel(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** One line per zod issue, each naming the YAML path of the offending key or value. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${pathLabel([...issue.path, key])}: unknown key "${key}"`);
    }
    return [`${pathLabel(issue.path)}: ${issue.message}`];
  });
}

export function parseCatalog(source: string, fileLabel: string): Catalog {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(
      `${fileLabel} is not valid YAML`,
      doc.errors.map((e) => e.message.split("\n")[0] ?? e.message),
    );
  }
  const result = catalogSchema.safeParse(doc.toJS({ maxAliasCount: 1000 }));
  if (!result.success) {
    throw new SpecError(
      `${fileLabel} does not match the catalog schema`,
      describeIssues(result.error.issues),
    );
  }
  return result.data;
}
