// wsdl-tsclient's public entry point (pinned 1.7.1). Loading it also loads its ts-morph code generator
// (about 0.2 s, once per process), the price of not reaching into its internal dist/src files. Its
// logger is a process-wide static that the public API cannot redirect, so it is left alone: what its
// warnings report (a complexType it could not read, typed `any`) is read from the parsed result instead.
import { parseWsdl } from "wsdl-tsclient";
import type { WsdlModel } from "./read-wsdl.js";

// wsdl-tsclient (node-soap underneath) as the second WSDL front end. It cannot see minOccurs, so it is used to
// confirm what it does see: operation names, input elements, input and result field names (and which result
// fields repeat). A disagreement means
// our XSD reader and node-soap read the file differently.

interface FrontEndDefinition {
  name: string;
  properties: FrontEndProperty[];
}
interface FrontEndProperty {
  name: string;
  kind?: string;
  type?: string;
  isArray?: boolean;
  ref?: FrontEndDefinition;
}
interface FrontEndMethod {
  name: string;
  paramName: string;
  paramDefinition: FrontEndDefinition | null;
  returnDefinition: FrontEndDefinition | null;
}

/** "id,balance,errors[]": the fields of the output wrapper's single child, as wsdl-tsclient sees them. */
function resultFieldsSeen(method: FrontEndMethod): string {
  const wrapper = method.returnDefinition?.properties[0]?.ref;
  return (wrapper?.properties ?? []).map((p) => `${p.name}${p.isArray ? "[]" : ""}`).join(",");
}

/** Properties wsdl-tsclient gave up on (it types an unreadable complexType `any` and warns). */
export function unreadable(definitions: readonly FrontEndDefinition[]): string[] {
  return definitions.flatMap((definition) =>
    definition.properties
      .filter((p) => p.kind === "PRIMITIVE" && p.type === "any")
      .map((p) => `wsdl-tsclient cannot read the complexType of ${definition.name}.${p.name}`),
  );
}

export async function compareWithWsdlTsclient(wsdlPath: string, model: WsdlModel): Promise<string[]> {
  const parsed = await parseWsdl(wsdlPath, {});
  const methods: FrontEndMethod[] = parsed.ports.flatMap((p) => p.methods as FrontEndMethod[]);
  const problems: string[] = unreadable(parsed.definitions as FrontEndDefinition[]);
  const ours = new Map(model.operations.map((o) => [o.name, o]));
  for (const method of methods) {
    const op = ours.get(method.name);
    if (!op) {
      problems.push(`wsdl-tsclient sees operation "${method.name}", the XSD reader does not`);
      continue;
    }
    if (method.paramName !== op.inputElement) {
      problems.push(
        `operation "${op.name}": wsdl-tsclient input "${method.paramName}", XSD reader input "${op.inputElement}"`,
      );
    }
    const theirFields = (method.paramDefinition?.properties ?? []).map((p) => p.name).join(",");
    const ourFields = (model.elements.get(op.inputElement) ?? []).map((f) => f.name).join(",");
    if (theirFields !== ourFields) {
      problems.push(
        `element "${op.inputElement}": wsdl-tsclient fields [${theirFields}], XSD reader fields [${ourFields}]`,
      );
    }
    const wrapper = (model.elements.get(op.outputElement) ?? [])[0];
    const ourResult = (wrapper ? (model.complexTypes.get(wrapper.type) ?? []) : [])
      .map((f) => `${f.name}${f.maxOccurs === null || f.maxOccurs > 1 ? "[]" : ""}`)
      .join(",");
    const theirResult = resultFieldsSeen(method);
    if (theirResult !== ourResult) {
      problems.push(
        `result of "${op.name}": wsdl-tsclient fields [${theirResult}], XSD reader fields [${ourResult}]`,
      );
    }
  }
  for (const name of ours.keys()) {
    if (!methods.some((m) => m.name === name)) {
      problems.push(`the XSD reader sees operation "${name}", wsdl-tsclient does not`);
    }
  }
  return problems;
}
