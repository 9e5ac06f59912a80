import type { Catalog } from "./catalog-schema.js";
import { QUERY_FIELD } from "./model.js";
import type { WsdlModel, XsdField } from "./read-wsdl.js";

// WSDL ↔ catalog agreement, both ways. Each finding names the WSDL side and the catalog side.

const W = "smsc.wsdl";
const C = "catalog.yaml";

function resultComplexTypes(wsdl: WsdlModel): Set<string> {
  // Every named complexType reachable from an output element.
  const seen = new Set<string>();
  const visit = (fields: readonly XsdField[]) => {
    for (const f of fields) {
      if (!f.builtin && !seen.has(f.type) && wsdl.complexTypes.has(f.type)) {
        seen.add(f.type);
        visit(wsdl.complexTypes.get(f.type) ?? []);
      }
    }
  };
  for (const op of wsdl.operations) visit(wsdl.elements.get(op.outputElement) ?? []);
  return seen;
}

export function crossCheck(wsdl: WsdlModel, catalog: Catalog): string[] {
  const problems: string[] = [];

  // Operations.
  const wsdlOps = new Set(wsdl.operations.map((o) => o.name));
  for (const op of wsdl.operations) {
    if (!catalog.operations[op.name]) {
      problems.push(`${W} operation "${op.name}" has no entry in ${C} operations`);
    }
  }
  for (const name of Object.keys(catalog.operations)) {
    if (!wsdlOps.has(name)) problems.push(`${C} operations.${name} has no operation "${name}" in ${W}`);
  }

  // Input element fields, both ways.
  const inputElements = new Set(wsdl.operations.map((o) => o.inputElement));
  for (const element of [...inputElements].sort()) {
    for (const field of wsdl.elements.get(element) ?? []) {
      const entry = catalog.fields[field.name];
      if (!entry) {
        problems.push(`${W} element "${element}" field "${field.name}" has no entry in ${C} fields`);
      } else if (!entry.elements.includes(element)) {
        problems.push(
          `${W} element "${element}" has field "${field.name}", but ${C} fields.${field.name}.elements does not list "${element}"`,
        );
      }
      if (!field.builtin || field.type !== "string") {
        problems.push(
          `${W} element "${element}" field "${field.name}" must be xsd:string, found "${field.type}"`,
        );
      }
    }
  }
  for (const [name, entry] of Object.entries(catalog.fields)) {
    for (const element of entry.elements) {
      if (!inputElements.has(element)) {
        problems.push(
          `${C} fields.${name}.elements lists "${element}", which is not an input element in ${W}`,
        );
      } else if (!(wsdl.elements.get(element) ?? []).some((f) => f.name === name)) {
        problems.push(
          `${C} fields.${name}.elements lists "${element}", but ${W} element "${element}" has no field "${name}"`,
        );
      }
    }
  }

  // Result types, both ways.
  const resultTypes = resultComplexTypes(wsdl);
  for (const type of [...resultTypes].sort()) {
    for (const field of wsdl.complexTypes.get(type) ?? []) {
      const entry = catalog.results[field.name];
      if (!entry) {
        problems.push(`${W} complexType "${type}" field "${field.name}" has no entry in ${C} results`);
      } else if (!entry.types.includes(type)) {
        problems.push(
          `${W} complexType "${type}" has field "${field.name}", but ${C} results.${field.name}.types does not list "${type}"`,
        );
      }
      const isRecord = !field.builtin;
      if (entry && isRecord !== (entry.valueType === "record")) {
        problems.push(
          `${W} complexType "${type}" field "${field.name}" is ${isRecord ? `of type ${field.type}` : "xsd:string"}, but ${C} results.${field.name}.valueType is "${entry.valueType}"`,
        );
      }
    }
  }
  for (const [name, entry] of Object.entries(catalog.results)) {
    for (const type of entry.types) {
      if (!resultTypes.has(type)) {
        problems.push(
          `${C} results.${name}.types lists "${type}", which is not a result complexType in ${W}`,
        );
      } else if (!(wsdl.complexTypes.get(type) ?? []).some((f) => f.name === name)) {
        problems.push(
          `${C} results.${name}.types lists "${type}", but ${W} complexType "${type}" has no field "${name}"`,
        );
      }
    }
  }

  // Every method a parameter claims must have a way to carry it: an element field of one of the method's
  // operations, or (for query options and fields the element lacks) an operation with a `query` field.
  const carriers = new Map<string, { fields: Set<string>; hasQuery: boolean }>();
  for (const op of wsdl.operations) {
    const method = catalog.operations[op.name]?.method;
    if (!method) continue;
    const entry = carriers.get(method) ?? { fields: new Set<string>(), hasQuery: false };
    for (const f of wsdl.elements.get(op.inputElement) ?? []) {
      entry.fields.add(f.name);
      if (f.name === QUERY_FIELD) entry.hasQuery = true;
    }
    carriers.set(method, entry);
  }
  const sections = [
    ["fields", catalog.fields],
    ["queryOptions", catalog.queryOptions],
  ] as const;
  for (const [section, entries] of sections) {
    for (const [name, entry] of Object.entries(entries)) {
      for (const method of entry.methods) {
        const carrier = carriers.get(method);
        if (carrier === undefined)
          problems.push(`${C} ${section}.${name}.methods: unknown method "${method}"`);
        else if (!carrier.fields.has(name) && !carrier.hasQuery) {
          // `query` carries itself: name it once.
          const carriersNamed = name === QUERY_FIELD ? `"${name}"` : `"${name}" or "${QUERY_FIELD}"`;
          problems.push(
            `${C} ${section}.${name}.methods lists "${method}", but no ${method} operation in ${W} has a ${carriersNamed} field to carry it`,
          );
        }
      }
    }
  }

  problems.push(...methodProblems(wsdl, catalog));

  // Structure the catalog relies on.
  for (const op of wsdl.operations) {
    const wrapper = wsdl.elements.get(op.outputElement) ?? [];
    const only = wrapper[0];
    if (wrapper.length !== 1 || !only || only.builtin || only.minOccurs !== 1 || only.maxOccurs !== 1) {
      problems.push(
        `${W} output element "${op.outputElement}" of "${op.name}" must wrap exactly one required *result of a named complexType`,
      );
    }
    if (op.soapAction !== wsdl.targetNamespace) {
      problems.push(
        `${W} operation "${op.name}" soapAction "${op.soapAction}" differs from the targetNamespace`,
      );
    }
  }
  if (wsdl.schemaNamespace !== wsdl.targetNamespace) {
    problems.push(`${W} schema targetNamespace differs from the definitions' targetNamespace`);
  }
  const expectedAddress = `${new URL(wsdl.targetNamespace).origin}${catalog.soap.path}`;
  if (catalog.soap.namespacePolicy === "follows-host" && wsdl.targetNamespace !== expectedAddress) {
    problems.push(
      `${W} targetNamespace "${wsdl.targetNamespace}" is not "<origin>${catalog.soap.path}" as ${C} soap.namespacePolicy "follows-host" requires`,
    );
  }
  return problems;
}

/**
 * The methods are the ones `operations` names. Each has exactly one operation without `query` (the plain
 * variant) and at most one with it, an entry in `methods` and an error list; nothing else may name a
 * method that no operation has.
 */
function methodProblems(wsdl: WsdlModel, catalog: Catalog): string[] {
  const problems: string[] = [];
  const variants = new Map<string, { plain: string[]; withQuery: string[] }>();
  for (const op of wsdl.operations) {
    const method = catalog.operations[op.name]?.method;
    if (!method) continue;
    const entry = variants.get(method) ?? { plain: [], withQuery: [] };
    const inputs = wsdl.elements.get(op.inputElement) ?? [];
    const hasQuery = inputs.some((f) => f.name === QUERY_FIELD);
    (hasQuery ? entry.withQuery : entry.plain).push(op.name);
    variants.set(method, entry);
    for (const field of inputs) {
      const parameter = catalog.fields[field.name];
      if (field.name !== QUERY_FIELD && parameter && !parameter.methods.includes(method)) {
        problems.push(
          `${W} element "${op.inputElement}" of method "${method}" has field "${field.name}", but ${C} fields.${field.name}.methods does not list "${method}"`,
        );
      }
    }
  }
  for (const [method, { plain, withQuery }] of variants) {
    if (plain.length !== 1) {
      problems.push(
        `${C} operations: method "${method}" needs exactly one operation without a "${QUERY_FIELD}" field in ${W}, found ${plain.length} (${plain.join(", ") || "none"})`,
      );
    }
    if (withQuery.length > 1) {
      problems.push(
        `${C} operations: method "${method}" has more than one operation with a "${QUERY_FIELD}" field in ${W} (${withQuery.join(", ")})`,
      );
    }
    if (!catalog.methods[method])
      problems.push(`${C} methods has no entry "${method}" (named by operations)`);
    if (!catalog.errors[method]) problems.push(`${C} errors has no list "${method}" (named by operations)`);
  }
  const known = (method: string) => variants.has(method);
  for (const name of Object.keys(catalog.methods)) {
    if (!known(name)) problems.push(`${C} methods.${name}: no operation in ${C} operations belongs to it`);
  }
  for (const name of Object.keys(catalog.errors)) {
    if (!known(name)) problems.push(`${C} errors.${name}: no operation in ${C} operations belongs to it`);
  }
  for (const [name, entry] of Object.entries(catalog.results)) {
    for (const method of entry.requiredIn ?? []) {
      if (!known(method)) problems.push(`${C} results.${name}.requiredIn: unknown method "${method}"`);
    }
  }
  catalog.rateRules.forEach((rule, i) => {
    if (rule.method !== "any" && !known(rule.method)) {
      problems.push(`${C} rateRules[${i}].method: unknown method "${rule.method}"`);
    }
  });
  catalog.requestLimits.forEach((limit, i) => {
    if (!known(limit.method)) {
      problems.push(`${C} requestLimits[${i}].method: unknown method "${limit.method}"`);
    }
  });
  return problems;
}
