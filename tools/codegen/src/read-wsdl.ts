import { XMLParser } from "fast-xml-parser";
import { SpecError } from "./spec-error.js";

// Reads the WSDL with fast-xml-parser. wsdl-tsclient (built on node-soap's parsed tree) loses minOccurs
// (dderevjanik/wsdl-tsclient#98, #110), so occurrence and field order come from here.

export interface XsdField {
  name: string;
  /** Local name of the XSD type: "string" for xsd:string, else the complexType name. */
  type: string;
  builtin: boolean;
  minOccurs: number;
  /** null = unbounded */
  maxOccurs: number | null;
}

export interface WsdlOperation {
  name: string;
  soapAction: string;
  inputElement: string;
  outputElement: string;
}

export interface WsdlModel {
  targetNamespace: string;
  schemaNamespace: string;
  elementFormQualified: boolean;
  serviceName: string;
  portName: string;
  portTypeName: string;
  bindingName: string;
  bindingStyle: string;
  soapAddress: string;
  operations: WsdlOperation[];
  /** Top-level elements with an anonymous complexType: name → fields in sequence order. */
  elements: Map<string, XsdField[]>;
  /** Named complexTypes: name → fields in sequence order. */
  complexTypes: Map<string, XsdField[]>;
}

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set([
  "element",
  "complexType",
  "message",
  "operation",
  "part",
  "port",
  "service",
  "binding",
]);

function parser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    isArray: (tagName) => ARRAY_TAGS.has(tagName),
  });
}

function asNode(value: unknown): XmlNode | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  const value = node?.[tag];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map(asNode).filter((n): n is XmlNode => n !== undefined);
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

function localName(qname: string): string {
  const i = qname.indexOf(":");
  return i === -1 ? qname : qname.slice(i + 1);
}

function occurs(value: string | undefined, where: string, problems: string[]): number | null {
  if (value === undefined) return 1;
  if (value === "unbounded") return null;
  if (!/^[0-9]+$/.test(value)) {
    problems.push(`${where}: occurrence "${value}" is not a number`);
    return 1;
  }
  return Number(value);
}

const XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema";

/**
 * Prefixes bound to the XML Schema namespace anywhere in the document ("xsd", "xs", .NET's "s", …), and
 * whether it is the default namespace. removeNSPrefix drops the declarations, so they are read from the text.
 */
function xsdPrefixes(xml: string): { prefixes: Set<string>; isDefault: boolean } {
  const prefixes = new Set<string>();
  let isDefault = false;
  for (const m of xml.matchAll(/\bxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(["'])(.*?)\2/g)) {
    if (m[3] !== XSD_NAMESPACE) continue;
    if (m[1] === undefined) isDefault = true;
    else prefixes.add(m[1]);
  }
  return { prefixes, isDefault };
}

function isBuiltin(typeAttr: string, xsd: { prefixes: Set<string>; isDefault: boolean }): boolean {
  const i = typeAttr.indexOf(":");
  return i === -1 ? xsd.isDefault : xsd.prefixes.has(typeAttr.slice(0, i));
}

function sequenceFields(
  complexType: XmlNode | undefined,
  where: string,
  problems: string[],
  xsd: { prefixes: Set<string>; isDefault: boolean },
): XsdField[] {
  const sequence = asNode(complexType?.["sequence"]);
  if (complexType && !sequence && Object.keys(complexType).some((k) => !k.startsWith("@"))) {
    problems.push(`${where}: only xsd:sequence content is supported`);
  }
  return children(sequence, "element").map((el) => {
    const name = attr(el, "name") ?? "";
    const typeAttr = attr(el, "type") ?? "";
    if (!name) problems.push(`${where}: element without a name`);
    if (!typeAttr) problems.push(`${where}.${name}: element without a type attribute`);
    const builtin = isBuiltin(typeAttr, xsd);
    return {
      name,
      type: localName(typeAttr),
      builtin,
      minOccurs: occurs(attr(el, "minOccurs"), `${where}.${name}@minOccurs`, problems) ?? 0,
      maxOccurs: occurs(attr(el, "maxOccurs"), `${where}.${name}@maxOccurs`, problems),
    };
  });
}

export function readWsdl(xml: string, fileLabel: string): WsdlModel {
  const problems: string[] = [];
  const xsd = xsdPrefixes(xml);
  const root = asNode(parser().parse(xml));
  const defs = asNode(root?.["definitions"]);
  if (!defs) throw new SpecError(`${fileLabel} is not a WSDL 1.1 document`, ["no <wsdl:definitions> root"]);

  const schema = asNode(asNode(defs["types"])?.["schema"]);
  const elements = new Map<string, XsdField[]>();
  const complexTypes = new Map<string, XsdField[]>();
  for (const el of children(schema, "element")) {
    const name = attr(el, "name") ?? "";
    const ct = children(el, "complexType")[0];
    elements.set(name, sequenceFields(ct, `element ${name}`, problems, xsd));
  }
  for (const ct of children(schema, "complexType")) {
    const name = attr(ct, "name") ?? "";
    complexTypes.set(name, sequenceFields(ct, `complexType ${name}`, problems, xsd));
  }

  const messages = new Map<string, string>();
  for (const message of children(defs, "message")) {
    const parts = children(message, "part");
    const name = attr(message, "name") ?? "";
    if (parts.length !== 1 || attr(parts[0], "name") !== "parameters") {
      problems.push(`message ${name}: must have exactly one part named "parameters" (document/literal)`);
    }
    messages.set(name, localName(attr(parts[0], "element") ?? ""));
  }

  const portType = children(defs, "portType")[0];
  // The binding is the one the service's (first) port names.
  const service = children(defs, "service")[0];
  const port = children(service, "port")[0];
  const bindingName = localName(attr(port, "binding") ?? "");
  const binding = children(defs, "binding").find((b) => attr(b, "name") === bindingName);
  if (!binding) problems.push(`service port: binding "${bindingName}" is not declared`);
  const soapBinding = children(binding, "binding")[0];
  const actions = new Map<string, string>();
  for (const op of children(binding, "operation")) {
    const soapOp = children(op, "operation")[0];
    actions.set(attr(op, "name") ?? "", attr(soapOp, "soapAction") ?? "");
    for (const dir of ["input", "output"]) {
      const use = attr(asNode(asNode(op[dir])?.["body"]), "use");
      if (use !== "literal")
        problems.push(`binding operation ${attr(op, "name")}: ${dir} body use must be literal`);
    }
  }

  const operations: WsdlOperation[] = children(portType, "operation").map((op) => {
    const name = attr(op, "name") ?? "";
    const inputMessage = localName(attr(asNode(op["input"]), "message") ?? "");
    const outputMessage = localName(attr(asNode(op["output"]), "message") ?? "");
    const inputElement = messages.get(inputMessage);
    const outputElement = messages.get(outputMessage);
    if (!inputElement) problems.push(`operation ${name}: input message "${inputMessage}" not found`);
    if (!outputElement) problems.push(`operation ${name}: output message "${outputMessage}" not found`);
    if (!actions.has(name)) problems.push(`operation ${name}: missing from the binding`);
    return {
      name,
      soapAction: actions.get(name) ?? "",
      inputElement: inputElement ?? "",
      outputElement: outputElement ?? "",
    };
  });

  const model: WsdlModel = {
    targetNamespace: attr(defs, "targetNamespace") ?? "",
    schemaNamespace: attr(schema, "targetNamespace") ?? "",
    elementFormQualified: attr(schema, "elementFormDefault") === "qualified",
    serviceName: attr(service, "name") ?? "",
    portName: attr(port, "name") ?? "",
    portTypeName: attr(portType, "name") ?? "",
    bindingName: attr(binding, "name") ?? "",
    bindingStyle: attr(soapBinding, "style") ?? "",
    soapAddress: attr(asNode(port?.["address"]), "location") ?? "",
    operations,
    elements,
    complexTypes,
  };
  if (!model.targetNamespace) problems.push("definitions: targetNamespace is missing");
  if (model.bindingStyle !== "document")
    problems.push(`binding: style must be "document", found "${model.bindingStyle}"`);
  for (const op of operations) {
    if (op.inputElement && !elements.has(op.inputElement)) {
      problems.push(`operation ${op.name}: input element "${op.inputElement}" is not declared in the schema`);
    }
    if (op.outputElement && !elements.has(op.outputElement)) {
      problems.push(
        `operation ${op.name}: output element "${op.outputElement}" is not declared in the schema`,
      );
    }
  }
  if (problems.length > 0) throw new SpecError(`${fileLabel} cannot be read`, problems);
  return model;
}
