import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { catalogSchema } from "./catalog-schema.js";
import { compileModel } from "./compile.js";
import { emitCodes } from "./emit/codes.js";
import { emitIndex } from "./emit/index-file.js";
import { emitMethods } from "./emit/methods.js";
import { emitOperations } from "./emit/operations.js";
import { emitOptions } from "./emit/options.js";
import { emitSchemas } from "./emit/schemas.js";
import { emitTypes } from "./emit/types.js";
import { parseCatalog } from "./load-catalog.js";
import type { Model } from "./model.js";
import { readWsdl } from "./read-wsdl.js";
import { SpecError } from "./spec-error.js";
import { compareWithWsdlTsclient } from "./wsdl-frontend.js";

export const WSDL_FILE = "smsc.wsdl";
export const CATALOG_FILE = "catalog.yaml";
export const CATALOG_SCHEMA_FILE = "catalog.schema.json";

/** Reads and cross-checks a spec directory, returning the intermediate model. */
export async function loadModel(specDir: string): Promise<Model> {
  const wsdlPath = path.join(specDir, WSDL_FILE);
  const [wsdlXml, catalogYaml] = await Promise.all([
    readFile(wsdlPath, "utf8"),
    readFile(path.join(specDir, CATALOG_FILE), "utf8"),
  ]);
  const wsdl = readWsdl(wsdlXml, WSDL_FILE);
  const catalog = parseCatalog(catalogYaml, CATALOG_FILE);
  const frontEndProblems = await compareWithWsdlTsclient(wsdlPath, wsdl);
  if (frontEndProblems.length > 0) {
    throw new SpecError("wsdl-tsclient and the XSD reader disagree about smsc.wsdl", frontEndProblems);
  }
  return compileModel(wsdl, catalog);
}

/** The generated files (name → content) for packages/core/src/generated/. */
export function emitAll(model: Model): Map<string, string> {
  return new Map([
    ["codes.ts", emitCodes(model)],
    ["index.ts", emitIndex()],
    ["methods.ts", emitMethods(model)],
    ["operations.ts", emitOperations(model)],
    ["options.ts", emitOptions(model)],
    ["schemas.ts", emitSchemas(model)],
    ["types.ts", emitTypes(model)],
  ]);
}

/** spec/catalog.schema.json: the catalog's zod schema as JSON Schema (depends on codegen only). */
export function catalogJsonSchema(): string {
  const schema = z.toJSONSchema(catalogSchema, { target: "draft-2020-12" });
  return `${formatJson({ title: "SMSC catalog (spec/catalog.yaml)", ...schema })}\n`;
}

const LINE_WIDTH = 110;

/** JSON laid out the way the repository's formatter (Biome) lays it out, so `biome check` leaves it alone. */
function formatJson(value: unknown, indent = "", prefixLength = 0, trailing = 0): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = `${indent}  `;
    if (value.every((v) => v === null || typeof v !== "object")) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (indent.length + prefixLength + inline.length + trailing <= LINE_WIDTH) return inline;
    }
    const items = value.map((v, i) => `${inner}${formatJson(v, inner, 0, i < value.length - 1 ? 1 : 0)}`);
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const inner = `${indent}  `;
    const lines = entries.map(([k, v], i) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${formatJson(v, inner, key.length, i < entries.length - 1 ? 1 : 0)}`;
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
