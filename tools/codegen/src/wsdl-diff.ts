import type { Change } from "./diff.js";
import type { WsdlModel, XsdField } from "./read-wsdl.js";

// The diff of two WSDLs alone, for the moment the catalog does not yet describe the new one: operations,
// input fields and result fields added, removed, or become required. Same bump rules as the semantic diff:
// removed or newly required breaks callers (major), added is a feature (minor).

function fieldMap(fields: readonly XsdField[] | undefined): Map<string, XsdField> {
  return new Map((fields ?? []).map((f) => [f.name, f]));
}

function compareFields(
  label: string,
  before: Map<string, XsdField>,
  after: Map<string, XsdField>,
  addedRequiredBump: Change["bump"],
): Change[] {
  const changes: Change[] = [];
  for (const [name, a] of before) {
    const b = after.get(name);
    if (b === undefined) changes.push({ bump: "major", description: `${label} ${name} removed` });
    else if (a.minOccurs === 0 && b.minOccurs > 0) {
      changes.push({ bump: "major", description: `${label} ${name}: optional became required` });
    } else if (a.minOccurs > 0 && b.minOccurs === 0) {
      changes.push({ bump: "minor", description: `${label} ${name}: required became optional` });
    }
  }
  for (const [name, b] of after) {
    if (before.has(name)) continue;
    const bump = b.minOccurs > 0 ? addedRequiredBump : "minor";
    changes.push({ bump, description: `${label} ${name} added${b.minOccurs > 0 ? " (required)" : ""}` });
  }
  return changes;
}

function resultFields(wsdl: WsdlModel, outputElement: string): Map<string, XsdField> {
  const wrapper = (wsdl.elements.get(outputElement) ?? [])[0];
  return fieldMap(wrapper ? wsdl.complexTypes.get(wrapper.type) : undefined);
}

export function diffWsdl(before: WsdlModel, after: WsdlModel): Change[] {
  const changes: Change[] = [];
  const ops = new Map(before.operations.map((o) => [o.name, o]));
  const next = new Map(after.operations.map((o) => [o.name, o]));
  for (const [name, a] of ops) {
    const b = next.get(name);
    if (b === undefined) {
      changes.push({ bump: "major", description: `operation ${name} removed` });
      continue;
    }
    changes.push(
      // A new required input of an existing operation breaks every caller that does not send it.
      ...compareFields(
        `operation ${name} input field`,
        fieldMap(before.elements.get(a.inputElement)),
        fieldMap(after.elements.get(b.inputElement)),
        "major",
      ),
      ...compareFields(
        `operation ${name} result field`,
        resultFields(before, a.outputElement),
        resultFields(after, b.outputElement),
        "minor",
      ),
    );
  }
  for (const name of next.keys()) {
    if (!ops.has(name)) changes.push({ bump: "minor", description: `operation ${name} added` });
  }
  return changes;
}
