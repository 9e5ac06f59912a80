/**
 * SOAP 1.1 document/literal envelopes for SMSC's seven operations, written from the generated
 * OPERATIONS metadata (element names, field order) and parsed with fast-xml-parser.
 * The schema is `elementFormDefault="qualified"`, so the body element declares the namespace as the
 * default namespace and its children inherit it. SMSC's namespace is `<origin>/sys/soap.php` of the
 * host being called (docs/protocol.md §1.1).
 */
import { XMLParser } from "fast-xml-parser";
import { OPERATIONS, type OperationName, SMSC_METHODS } from "../generated/index.js";
import { escapeXmlText } from "./xml-text.js";

export const SOAP_ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
/** SOAP 1.2's envelope namespace. SMSC's WSDL binds SOAP 1.1; servers answer a 1.2 request in 1.2. */
export const SOAP12_ENVELOPE_NS = "http://www.w3.org/2003/05/soap-envelope";

export type SoapVersion = "1.1" | "1.2";

/**
 * A wire value: every leaf is a string; a repeated field of a record type (`errors`, the WSDL `Error` list)
 * is an array of records, a repeated field of xsd:string an array of its texts.
 */
export type WireValue = string | readonly string[] | readonly Readonly<Record<string, string>>[];
export type WireRecord = Readonly<Record<string, WireValue | undefined>>;

const OPEN = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS}"><soap:Body>`;
const OPEN_12 = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP12_ENVELOPE_NS}"><soap:Body>`;
const CLOSE = "</soap:Body></soap:Envelope>";

function element(name: string, text: string): string {
  return `<${name}>${escapeXmlText(text)}</${name}>`;
}

/** Per operation, each input field's tags written once (this runs on every call). */
const INPUT_TAGS = new Map<
  OperationName,
  readonly { name: string; open: string; close: string; empty: string | undefined }[]
>(
  (Object.keys(OPERATIONS) as OperationName[]).map((name) => [
    name,
    OPERATIONS[name].inputFields.map((field) => ({
      name: field.name,
      open: `<${field.name}>`,
      close: `</${field.name}>`,
      empty: field.required ? `<${field.name}/>` : undefined,
    })),
  ]),
);

/** The request element's start tag for the last namespace it was written with (a client calls one host). */
let lastStartTag: { operation: OperationName; namespace: string; tag: string } | undefined;

function startTag(operation: OperationName, namespace: string): string {
  if (lastStartTag?.operation !== operation || lastStartTag.namespace !== namespace) {
    const tag = `<${OPERATIONS[operation].inputElement} xmlns="${escapeXmlText(namespace)}">`;
    lastStartTag = { operation, namespace, tag };
  }
  return lastStartTag.tag;
}

/**
 * The request envelope of `operation`. Fields are written in WSDL order; a required field that is
 * absent is written empty (SMSC then answers with its own error), unknown names are not written.
 */
export function buildEnvelope(
  operation: OperationName,
  fields: Readonly<Record<string, string | undefined>>,
  namespace: string,
): string {
  let body = OPEN + startTag(operation, namespace);
  for (const field of INPUT_TAGS.get(operation) ?? []) {
    const value = fields[field.name];
    if (value === undefined) {
      if (field.empty !== undefined) body += field.empty;
      continue;
    }
    body += field.open + escapeXmlText(value) + field.close;
  }
  return `${body}</${OPERATIONS[operation].inputElement}>${CLOSE}`;
}

/** The sub-fields of a record result field, in the WSDL order of its own complexType. */
function recordFieldsOf(operation: OperationName, field: string): readonly { name: string }[] {
  const fields = SMSC_METHODS[OPERATIONS[operation].method].resultFields as readonly {
    name: string;
    recordFields: readonly { name: string }[];
  }[];
  return fields.find((f) => f.name === field)?.recordFields ?? [];
}

/**
 * The response envelope of `operation` (used by the simulator and by test servers). The body is the same
 * in both SOAP versions (document/literal); only the envelope's namespace differs.
 */
export function buildResponseEnvelope(
  operation: OperationName,
  result: WireRecord,
  namespace: string,
  soapVersion: SoapVersion = "1.1",
): string {
  const meta = OPERATIONS[operation];
  let body = "";
  for (const field of meta.resultFields) {
    const value = result[field.name];
    if (value === undefined) continue;
    if (typeof value === "string") {
      body += element(field.name, value);
      continue;
    }
    for (const item of value) {
      if (typeof item === "string") {
        body += element(field.name, item);
        continue;
      }
      let inner = "";
      for (const sub of recordFieldsOf(operation, field.name)) {
        const text = item[sub.name];
        if (text !== undefined) inner += element(sub.name, text);
      }
      body += `<${field.name}>${inner}</${field.name}>`;
    }
  }
  return (
    `${soapVersion === "1.2" ? OPEN_12 : OPEN}<${meta.outputElement} xmlns="${escapeXmlText(namespace)}">` +
    `<${meta.resultElement}>${body}</${meta.resultElement}></${meta.outputElement}>${CLOSE}`
  );
}

export type FaultCode = "Client" | "Server" | "VersionMismatch" | "MustUnderstand";

/** SOAP 1.2 renamed the 1.1 codes: Client is Sender, Server is Receiver. */
const FAULT_CODE_12: Readonly<Record<FaultCode, string>> = {
  Client: "Sender",
  Server: "Receiver",
  VersionMismatch: "VersionMismatch",
  MustUnderstand: "MustUnderstand",
};

/**
 * A Fault envelope. SOAP 1.1: `faultcode` `soap:Client`, `soap:Server`, `soap:VersionMismatch` or
 * `soap:MustUnderstand` and a `faultstring`; SOAP 1.2: `Code/Value` `soap:Sender`, `soap:Receiver`,
 * `soap:VersionMismatch` or `soap:MustUnderstand` and a `Reason/Text`.
 */
export function buildFaultEnvelope(
  faultCode: FaultCode,
  faultString: string,
  soapVersion: SoapVersion = "1.1",
): string {
  if (soapVersion === "1.2") {
    return (
      `${OPEN_12}<soap:Fault><soap:Code><soap:Value>soap:${FAULT_CODE_12[faultCode]}</soap:Value></soap:Code>` +
      `<soap:Reason><soap:Text xml:lang="en">${escapeXmlText(faultString)}</soap:Text></soap:Reason>` +
      `</soap:Fault>${CLOSE}`
    );
  }
  return (
    `${OPEN}<soap:Fault><faultcode>soap:${faultCode}</faultcode>` +
    `${element("faultstring", faultString)}</soap:Fault>${CLOSE}`
  );
}

export type ParsedEnvelope =
  | { kind: "request"; operation: OperationName; element: string; fields: Record<string, string> }
  | {
      kind: "response";
      operation: OperationName;
      element: string;
      resultElement: string;
      result: Record<string, WireValue>;
    }
  | { kind: "fault"; faultCode: string; faultString: string; detail: string | undefined };

export class EnvelopeParseError extends Error {
  override readonly name = "EnvelopeParseError";
}

const INPUT_ELEMENTS = new Map<string, OperationName>();
const OUTPUT_ELEMENTS = new Map<string, OperationName>();
const REPEATED_FIELDS = new Set<string>();
/** Repeated result fields of xsd:string: their items are texts, not records. */
const REPEATED_TEXT_FIELDS = new Set<string>();
for (const [name, meta] of Object.entries(OPERATIONS) as [
  OperationName,
  (typeof OPERATIONS)[OperationName],
][]) {
  INPUT_ELEMENTS.set(meta.inputElement, name);
  OUTPUT_ELEMENTS.set(meta.outputElement, name);
  for (const field of meta.resultFields as readonly { name: string; repeated: boolean; type: string }[]) {
    if (field.repeated) REPEATED_FIELDS.add(field.name);
    if (field.repeated && field.type === "string") REPEATED_TEXT_FIELDS.add(field.name);
  }
}

const PARSER_OPTIONS = {
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Keep every leaf a string (ids like "007" or "1e5" must not become numbers) and keep spaces
  // inside values (a message text is data).
  parseTagValue: false,
  trimValues: false,
  isArray: (name: string, jPath: unknown) => {
    // Repeated result elements (`errors`) always come back as arrays, even with a single item.
    return REPEATED_FIELDS.has(name) && typeof jPath === "string" && jPath.split(".").length === 5;
  },
} as const;

// XML's five named entities are decoded by both parsers. Numeric character references (`&#13;` for a
// CR in a message) need `htmlEntities`, which costs more than the rest of the parse, so that parser is
// used only for documents that contain one.
const parser = new XMLParser(PARSER_OPTIONS);
const parserWithCharacterReferences = new XMLParser({ ...PARSER_OPTIONS, htmlEntities: true });

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Child elements only: whitespace between elements (`#text`) is dropped. */
function children(node: Node): [string, unknown][] {
  return Object.entries(node).filter(([key]) => key !== "#text");
}

function leaf(value: unknown, path: string): string {
  if (typeof value === "string") return value;
  if (isNode(value)) {
    if (children(value).length === 0) return typeof value["#text"] === "string" ? value["#text"] : "";
  }
  throw new EnvelopeParseError(`expected text in <${path}>`);
}

function flatRecord(node: unknown, path: string): Record<string, string> {
  if (node === "" || (typeof node === "string" && node.trim() === "")) return {};
  if (!isNode(node)) throw new EnvelopeParseError(`expected elements in <${path}>`);
  const out: Record<string, string> = {};
  for (const [key, value] of children(node)) out[key] = leaf(value, `${path}/${key}`);
  return out;
}

function resultRecord(node: unknown, path: string): Record<string, WireValue> {
  if (node === "" || (typeof node === "string" && node.trim() === "")) return {};
  if (!isNode(node)) throw new EnvelopeParseError(`expected elements in <${path}>`);
  const out: Record<string, WireValue> = {};
  for (const [key, value] of children(node)) {
    if (Array.isArray(value) && REPEATED_TEXT_FIELDS.has(key)) {
      out[key] = value.map((item, index) => leaf(item, `${path}/${key}[${index}]`));
    } else if (Array.isArray(value)) {
      out[key] = value.map((item, index) => flatRecord(item, `${path}/${key}[${index}]`));
    } else if (isNode(value) && children(value).length > 0) {
      // An element SMSC added that has children of its own: kept (as one record) rather than failing.
      out[key] = [flatRecord(value, `${path}/${key}`)];
    } else {
      out[key] = leaf(value, `${path}/${key}`);
    }
  }
  return out;
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (isNode(value) && typeof value["#text"] === "string") return value["#text"];
  return "";
}

/** SOAP 1.1 (`faultcode`, `faultstring`) or SOAP 1.2 (`Code/Value`, `Reason/Text`) faults. */
function parseFault(fault: Node): ParsedEnvelope {
  const detail = fault["detail"] ?? fault["Detail"];
  const code = isNode(fault["Code"]) ? textOf(fault["Code"]["Value"]) : textOf(fault["faultcode"]);
  const reason = isNode(fault["Reason"]) ? textOf(fault["Reason"]["Text"]) : textOf(fault["faultstring"]);
  return {
    kind: "fault",
    faultCode: code.trim(),
    faultString: reason.trim(),
    detail: detail === undefined ? undefined : typeof detail === "string" ? detail : JSON.stringify(detail),
  };
}

/** Parse a request, response or fault envelope. Throws EnvelopeParseError on anything else. */
export function parseEnvelope(xml: string): ParsedEnvelope {
  let doc: unknown;
  try {
    doc = (xml.includes("&#") ? parserWithCharacterReferences : parser).parse(xml, true);
  } catch (error) {
    throw new EnvelopeParseError(`malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const envelope = isNode(doc) ? doc["Envelope"] : undefined;
  const body = isNode(envelope) ? envelope["Body"] : undefined;
  if (!isNode(body)) throw new EnvelopeParseError("not a SOAP envelope: no Envelope/Body");
  const [first] = children(body);
  if (first === undefined) throw new EnvelopeParseError("empty SOAP Body");
  const [name, content] = first;
  if (name === "Fault") return parseFault(isNode(content) ? content : {});
  const requested = INPUT_ELEMENTS.get(name);
  if (requested !== undefined) {
    return { kind: "request", operation: requested, element: name, fields: flatRecord(content, name) };
  }
  const answered = OUTPUT_ELEMENTS.get(name);
  if (answered !== undefined) {
    const resultElement = OPERATIONS[answered].resultElement;
    const wrapper = isNode(content) ? content[resultElement] : undefined;
    if (wrapper === undefined) throw new EnvelopeParseError(`<${name}> has no <${resultElement}>`);
    return {
      kind: "response",
      operation: answered,
      element: name,
      resultElement,
      result: resultRecord(wrapper, `${name}/${resultElement}`),
    };
  }
  throw new EnvelopeParseError(`unknown SOAP body element <${name}>`);
}
