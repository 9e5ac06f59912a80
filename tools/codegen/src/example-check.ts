import type { Catalog } from "./catalog-schema.js";
import type { WsdlModel, XsdField } from "./read-wsdl.js";

// An operation's `example` (catalog operations.*.example) against the WSDL result type and the catalog's
// valueTypes: the simulator answers it as it stands, so it must be an answer the client can decode.

const C = "catalog.yaml";
const W = "smsc.wsdl";

const VALUE_PATTERNS: Readonly<Record<string, { pattern: RegExp; says: string }>> = {
  integer: { pattern: /^-?[0-9]+$/, says: "an integer" },
  timestamp: { pattern: /^[0-9]+$/, says: "a unix timestamp" },
  decimal: { pattern: /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/, says: "a decimal number" },
  date: { pattern: /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/, says: "a DD.MM.YYYY hh:mm:ss date" },
};

type ExampleValue = string | readonly string[] | readonly Readonly<Record<string, string>>[];

function valueProblem(catalog: Catalog, field: string, text: string, at: string): string[] {
  const valueType = catalog.results[field]?.valueType ?? "string";
  const rule = VALUE_PATTERNS[valueType];
  if (rule === undefined || rule.pattern.test(text)) return [];
  return [`${C} ${at} is "${text}", but results.${field} is ${valueType}: it must be ${rule.says}`];
}

function recordProblems(
  wsdl: WsdlModel,
  catalog: Catalog,
  field: XsdField,
  items: readonly Readonly<Record<string, string>>[],
  at: string,
): string[] {
  const subFields = wsdl.complexTypes.get(field.type) ?? [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const itemAt = `${at}[${index}]`;
    for (const [name, text] of Object.entries(item)) {
      if (!subFields.some((sub) => sub.name === name)) {
        problems.push(`${C} ${itemAt}.${name} is not a field of ${W} complexType "${field.type}"`);
      } else {
        problems.push(...valueProblem(catalog, name, text, `${itemAt}.${name}`));
      }
    }
    for (const sub of subFields) {
      if (sub.minOccurs > 0 && item[sub.name] === undefined) {
        problems.push(`${C} ${itemAt} lacks "${sub.name}", which ${W} complexType "${field.type}" requires`);
      }
    }
  });
  return problems;
}

function fieldProblems(
  wsdl: WsdlModel,
  catalog: Catalog,
  field: XsdField,
  value: ExampleValue,
  at: string,
): string[] {
  const repeated = field.maxOccurs === null || field.maxOccurs > 1;
  if (typeof value === "string") {
    if (repeated || !field.builtin) return [`${C} ${at} must be a list (the field repeats or is a record)`];
    return valueProblem(catalog, field.name, value, at);
  }
  if (!repeated && value.length > 1)
    return [`${C} ${at} lists ${value.length} items of a field that occurs once`];
  if (field.builtin) {
    if (!value.every((item) => typeof item === "string")) return [`${C} ${at} must list texts`];
    return value.flatMap((text, index) =>
      valueProblem(catalog, field.name, text as string, `${at}[${index}]`),
    );
  }
  if (!value.every((item) => typeof item === "object")) return [`${C} ${at} must list records`];
  return recordProblems(wsdl, catalog, field, value as readonly Readonly<Record<string, string>>[], at);
}

export function exampleProblems(wsdl: WsdlModel, catalog: Catalog): string[] {
  const problems: string[] = [];
  for (const op of wsdl.operations) {
    const example = catalog.operations[op.name]?.example;
    if (example === undefined) continue;
    const wrapper = (wsdl.elements.get(op.outputElement) ?? [])[0];
    const fields = wrapper === undefined ? [] : (wsdl.complexTypes.get(wrapper.type) ?? []);
    for (const [name, value] of Object.entries(example)) {
      const at = `operations.${op.name}.example.${name}`;
      const field = fields.find((f) => f.name === name);
      if (field === undefined) {
        problems.push(`${C} ${at} is not a field of ${W} complexType "${wrapper?.type ?? op.outputElement}"`);
      } else if (name === "error" && value !== "0") {
        problems.push(`${C} ${at} must be absent or "0": the example is a successful answer`);
      } else {
        problems.push(...fieldProblems(wsdl, catalog, field, value, at));
      }
    }
  }
  return problems;
}
