import type { Model, ModelMethod, ModelMethodResultField } from "../model.js";
import { ERROR_FIELD, pascalCase } from "../model.js";
import { dataLiteral, docComment, HEADER, propertyKey, stringLiteral } from "./literal.js";

// The client surface, per method of the spec: the method table (operations, parameters, result fields with
// their catalog value types), request and result types, and the named client methods bound over one typed
// `call(method, request)`. Decoding itself is core's results.ts reading RESULT fields from this table.

const VALUE_TS: Record<ModelMethodResultField["valueType"], string> = {
  string: "string",
  integer: "number",
  decimal: "number",
  timestamp: "number",
  date: "Date",
  record: "never",
};

/** Result fields a decoded result carries: everything but the in-band error code. */
function decodedFields(method: ModelMethod): ModelMethodResultField[] {
  return method.resultFields.filter((f) => f.name !== ERROR_FIELD);
}

function itemTypeName(method: ModelMethod, field: ModelMethodResultField): string {
  return `${method.typeStem}${pascalCase(field.name)}Item`;
}

function fieldType(method: ModelMethod, field: ModelMethodResultField): string {
  const base = field.valueType === "record" ? itemTypeName(method, field) : VALUE_TS[field.valueType];
  return field.repeated ? `${base}[]` : base;
}

function fieldDoc(field: ModelMethodResultField): string {
  const level = field.allLevel !== null && field.allLevel > 0 ? ` Present from all=${field.allLevel}.` : "";
  return `${field.description}${level} (wire: ${field.name})`;
}

function methodTable(model: Model): string {
  const table = Object.fromEntries(
    model.methods.map((m) => [
      m.name,
      {
        name: m.name,
        description: m.description,
        idempotent: m.idempotent,
        confidence: m.confidence,
        plain: m.plain,
        withQuery: m.withQuery,
        parameters: m.parameters,
        resultFields: decodedFields(m).map((f) => ({
          name: f.name,
          property: f.property,
          valueType: f.valueType,
          repeated: f.repeated,
          required: f.required,
          allLevel: f.allLevel,
          example: f.example,
          recordFields: f.recordFields.map((r) => ({
            name: r.name,
            property: r.property,
            valueType: r.valueType,
            required: r.required,
          })),
        })),
      },
    ]),
  );
  return `${docComment("Every method of the spec (an operation and its `*2` twin): its operations, parameters and decoded result fields.")}export const SMSC_METHODS = ${dataLiteral(table)} as const;

export type SmscMethod = keyof typeof SMSC_METHODS;
`;
}

function requiresRequest(model: Model, method: ModelMethod): boolean {
  const plain = model.operations.find((o) => o.name === method.plain);
  return (plain?.inputFields ?? []).some((f) => f.required && method.parameters.includes(f.name));
}

function methodTypes(method: ModelMethod): string {
  const stem = method.typeStem;
  const request = method.parameters.length > 0 ? `SmscRequest<${stem}Options>` : "Record<string, never>";
  const items = decodedFields(method)
    .filter((f) => f.valueType === "record")
    .map((f) => {
      const lines = f.recordFields.map(
        (r) => `  ${propertyKey(r.property)}${r.required ? "" : "?"}: ${VALUE_TS[r.valueType]};`,
      );
      return `${docComment(`One item of \`${f.name}\`.`)}export interface ${itemTypeName(method, f)} {\n${lines.join("\n")}\n}\n`;
    });
  const fields = decodedFields(method).map(
    (f) =>
      `${docComment(fieldDoc(f), "  ")}  ${propertyKey(f.property)}${f.required ? "" : "?"}: ${fieldType(method, f)};`,
  );
  return `${docComment(`A ${method.name} request: SMSC's option names; credentials belong to the client.`)}export type ${stem}Request = ${request};
${items.join("")}${docComment(`The decoded answer of ${method.name}; \`raw\` keeps every wire field as received.`)}export interface ${stem}ResultFields {
${fields.join("\n")}${fields.length > 0 ? "\n" : ""}  raw: RawResult;
}
export type ${stem}Result = ${stem}ResultFields & ResultExtra<${stringLiteral(method.name)}>;
`;
}

export function emitMethods(model: Model): string {
  const optionImports = model.methods
    .filter((m) => m.parameters.length > 0)
    .map((m) => `${m.typeStem}Options`)
    .sort();
  const requestMap = model.methods.map((m) => `  ${propertyKey(m.name)}: ${m.typeStem}Request;`);
  const resultMap = model.methods.map((m) => `  ${propertyKey(m.name)}: ${m.typeStem}Result;`);
  const signatures = model.methods.map((m) => {
    const optional = requiresRequest(model, m) ? "" : "?";
    const retry = m.idempotent
      ? "Retried with backoff, failing over to the backup host."
      : "Tried exactly once: a timeout is reported as SmscTransportError with `outcome`.";
    return `${docComment(`${m.description} ${retry}`, "  ")}  ${propertyKey(m.tsName)}(request${optional}: ${m.typeStem}Request): Promise<${m.typeStem}Result>;`;
  });
  const bindings = model.methods.map(
    (m) => `    ${propertyKey(m.tsName)}: (request) => call(${stringLiteral(m.name)}, request),`,
  );
  return `${HEADER}

import type { SmscRequest } from "../requests.js";
import type { RawResult, ResultExtra } from "../results.js";
${optionImports.length > 0 ? `import type { ${optionImports.join(", ")} } from "./schemas.js";\n` : ""}
${methodTable(model)}
${model.methods.map(methodTypes).join("\n")}
export interface MethodRequestMap {
${requestMap.join("\n")}
}

export interface MethodResultMap {
${resultMap.join("\n")}
}

${docComment("Calls one method: validates the request, picks the operation, sends it and decodes the answer.")}export type MethodCaller = <M extends SmscMethod>(
  method: M,
  request?: MethodRequestMap[M],
) => Promise<MethodResultMap[M]>;

${docComment("One typed client method per method of the spec.")}export interface SmscMethods {
${signatures.join("\n")}
}

${docComment("The named methods, each a call of `call` with its method name.")}export function bindMethods(call: MethodCaller): SmscMethods {
  return {
${bindings.join("\n")}
  };
}
`;
}
