import type { Format } from "../catalog-schema.js";
import type { Model, ModelMethod, ModelParameter } from "../model.js";
import { docComment, HEADER, propertyKey, stringLiteral } from "./literal.js";

// zod 4 schemas built from the catalog formats. Values are accepted as a user writes them (numbers or
// strings; arrays for recipient lists); integers and decimals come out as numbers, everything else as strings.

const INTEGER_SOURCE = "^[+-]?[0-9]+$";
const DECIMAL_SOURCE = "^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)$";

function regex(source: string): string {
  return `new RegExp(${stringLiteral(source)})`;
}

/** Every check of a parameter reports the same message: the parameter name and its full rule. */
function err(messageRef: string): string {
  return `{ error: ${messageRef} }`;
}

function escapeForClass(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeRegexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

const SCALAR_INPUT = "z.union([z.string(), z.number()])";

function schemaFor(format: Format, messageRef: string): string {
  const e = err(messageRef);
  switch (format.kind) {
    case "text": {
      let chain = "z.coerce.string<string | number>()";
      if (format.minLength !== undefined) chain += `.min(${format.minLength}, ${e})`;
      if (format.maxLength !== undefined) chain += `.max(${format.maxLength}, ${e})`;
      if (format.patterns) {
        const source = format.patterns.map((p) => `(?:${p.regex})`).join("|");
        chain += `.regex(${regex(source)}, ${e})`;
      }
      return `${SCALAR_INPUT}.pipe(${chain})`;
    }
    case "integer":
    case "decimal": {
      const source = format.kind === "integer" ? INTEGER_SOURCE : DECIMAL_SOURCE;
      let chain = "z.coerce.number<string | number>()";
      if (format.kind === "integer") chain += `.int(${e})`;
      if (format.min !== undefined) chain += `.min(${format.min}, ${e})`;
      if (format.max !== undefined) chain += `.max(${format.max}, ${e})`;
      return `z.union([z.number(), z.string().regex(${regex(source)})], ${e}).pipe(${chain})`;
    }
    case "enum": {
      if (format.suffixPattern !== undefined) {
        const values = format.values.map((v) => escapeRegexLiteral(v.value)).join("|");
        const source = `^(?:${values})(?:${format.suffixPattern})?$`;
        return `${SCALAR_INPUT}.pipe(z.coerce.string<string | number>().regex(${regex(source)}, ${e}))`;
      }
      const values = format.values.map((v) => stringLiteral(v.value)).join(", ");
      return `${SCALAR_INPUT}.pipe(z.coerce.string<string | number>().pipe(z.enum([${values}], ${e})))`;
    }
    case "list": {
      const item = format.items.map((i) => `(?:${i.pattern})`).join("|");
      const sep = `[${format.separators.map(escapeForClass).join("")}]`;
      const listSource = `^\\s*(?:${item})(?:\\s*${sep}\\s*(?:${item}))*\\s*${sep}?\\s*$`;
      const itemSource = `^\\s*(?:${item})\\s*$`;
      const asString = `${SCALAR_INPUT}.pipe(z.coerce.string<string | number>().regex(${regex(listSource)}, ${e}))`;
      const asArray = `z.array(${SCALAR_INPUT}.pipe(z.coerce.string<string | number>().regex(${regex(itemSource)}, ${e}))).min(1, ${e})`;
      return `z.union([${asString}, ${asArray}], ${e})`;
    }
    case "anyOf":
      return `z.union([${format.alternatives.map((alt) => schemaFor(alt, messageRef)).join(", ")}], ${e})`;
  }
}

function messageOf(p: ModelParameter): string {
  return `${p.name}: must be ${p.rule}`;
}

function schemaEntry(p: ModelParameter, table: string): string {
  const ref = `${table}.${p.name}`;
  return `${docComment(p.description, "  ")}  ${propertyKey(p.name)}: ${schemaFor(p.format, ref)},`;
}

function messageTable(name: string, params: readonly ModelParameter[]): string {
  const lines = params.map((p) => `  ${propertyKey(p.name)}: ${stringLiteral(messageOf(p))},`).join("\n");
  return `${docComment("The message every failed check of a parameter reports: its name and rule.")}const ${name} = {\n${lines}\n} as const;`;
}

function methodSchema(model: Model, method: ModelMethod): string {
  const plain = model.operations.find((o) => o.name === method.plain);
  const requiredNames = new Set((plain?.inputFields ?? []).filter((f) => f.required).map((f) => f.name));
  const entries: string[] = [];
  for (const p of model.fields) {
    if (!method.parameters.includes(p.name)) continue;
    const optional = requiredNames.has(p.name) ? "" : ".optional()";
    entries.push(`  ${propertyKey(p.name)}: fieldSchemas.${p.name}${optional},`);
  }
  for (const p of model.queryOptions) {
    if (!method.parameters.includes(p.name)) continue;
    entries.push(`  ${propertyKey(p.name)}: queryOptionSchemas.${p.name}.optional(),`);
  }
  const name = `${method.tsName}OptionsSchema`;
  const typeName = `${method.typeStem}Options`;
  const body = entries.length > 0 ? `{\n${entries.join("\n")}\n}` : "{}";
  return `${docComment(`Options of ${method.name} requests: element fields and query options, SMSC's names; credentials excluded.`)}export const ${name} = z.strictObject(${body});
export type ${typeName} = z.input<typeof ${name}>;
export type ${typeName}Parsed = z.output<typeof ${name}>;
`;
}

export function emitSchemas(model: Model): string {
  const fields = model.fields.map((p) => schemaEntry(p, "FIELD_MESSAGES")).join("\n");
  const options = model.queryOptions.map((p) => schemaEntry(p, "OPTION_MESSAGES")).join("\n");
  const methods = model.methods.map((m) => methodSchema(model, m)).join("\n");
  const map = model.methods.map((m) => `  ${propertyKey(m.name)}: ${m.tsName}OptionsSchema,`).join("\n");
  const optionsMap = model.methods.map((m) => `  ${propertyKey(m.name)}: ${m.typeStem}Options;`).join("\n");
  return `${HEADER}

import { z } from "zod";

${messageTable("FIELD_MESSAGES", model.fields)}

${messageTable("OPTION_MESSAGES", model.queryOptions)}

${docComment("One schema per WSDL element field (values as a user writes them).")}export const fieldSchemas = {
${fields}
};

${docComment("One schema per option that travels inside `query`.")}export const queryOptionSchemas = {
${options}
};

${methods}
${docComment("The validator's map: each method's request schema.")}export const METHOD_SCHEMAS = {
${map}
} as const;

${docComment("Each method's options as a user writes them.")}export interface MethodOptionsMap {
${optionsMap}
}
`;
}
