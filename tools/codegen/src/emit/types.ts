import type { Model, ModelComplexType } from "../model.js";
import { docComment, HEADER, propertyKey } from "./literal.js";

function tsType(type: string, repeated: boolean): string {
  return repeated ? `${type}[]` : type;
}

function interfaceFor(
  type: ModelComplexType,
  what: string,
  describe: (field: string) => string | undefined,
): string {
  const lines = type.fields.map((f) => {
    const doc = describe(f.name);
    return `${doc ? docComment(doc, "  ") : ""}  ${propertyKey(f.name)}${f.required ? "" : "?"}: ${tsType(f.type, f.repeated)};`;
  });
  return `${docComment(`${what} \`${type.xsdName}\`.`)}export interface ${type.tsName} {\n${lines.join("\n")}\n}\n`;
}

export function emitTypes(model: Model): string {
  const fieldDoc = new Map([...model.fields, ...model.queryOptions].map((p) => [p.name, p.description]));
  const resultDoc = new Map(model.results.map((r) => [r.name, r.description]));
  const inputs = model.inputTypes.map((t) => interfaceFor(t, "Wire input element", (n) => fieldDoc.get(n)));
  const results = model.resultTypes.map((t) => interfaceFor(t, "Wire result type", (n) => resultDoc.get(n)));
  const inputMap = model.operations.map((o) => `  ${o.name}: ${o.inputType};`).join("\n");
  const resultMap = model.operations.map((o) => `  ${o.name}: ${o.resultType};`).join("\n");
  return `${HEADER}

import type { OperationName } from "./operations.js";

// Wire types: every leaf is a string (xsd:string); optional exactly where minOccurs is 0.

${inputs.join("\n")}
${results.join("\n")}
export interface OperationInputMap {
${inputMap}
}

export interface OperationResultMap {
${resultMap}
}

export type OperationInput<Op extends OperationName> = OperationInputMap[Op];
export type OperationResult<Op extends OperationName> = OperationResultMap[Op];
`;
}
