import { SaxesParser } from "saxes";
import { mustBeUnderstood } from "./header-blocks.js";

export type SoapVersion = "1.1" | "1.2";

/** The envelope namespace of each SOAP version; an Envelope in any other namespace is a VersionMismatch. */
const ENVELOPE_VERSIONS: ReadonlyMap<string, SoapVersion> = new Map([
  ["http://schemas.xmlsoap.org/soap/envelope/", "1.1"],
  ["http://www.w3.org/2003/05/soap-envelope", "1.2"],
]);

/** Why an HTTP body is not a usable SOAP request; each maps to a SOAP Fault, as SMSC's SoapServer answers. */
export class SoapRequestError extends Error {
  constructor(
    readonly faultCode: "Client" | "Server" | "VersionMismatch" | "MustUnderstand",
    message: string,
    /** The SOAP version of the envelope when it was read that far (the Fault is written in it). */
    readonly soapVersion?: SoapVersion,
  ) {
    super(message);
    this.name = "SoapRequestError";
  }
}

export interface ParsedSoapRequest {
  soapVersion: SoapVersion;
  /** Namespace of the operation element ("" when unqualified); the answer is written in the same one. */
  namespace: string;
  /** Local name of the first element inside soap:Body (the document/literal input element). */
  element: string;
  /** Leaf values by local name. Values are strings exactly as sent (no trimming, no number coercion). */
  fields: Record<string, string>;
  /** Names that carried structure (nested elements or repeats) instead of a single text value. */
  malformedFields: string[];
}

/** Namespace declarations of one element: prefix ("" for the default namespace) to URI. */
type NamespaceScope = ReadonlyMap<string, string> | undefined;

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

function declarationsOf(attributes: Record<string, string>): NamespaceScope {
  let scope: Map<string, string> | undefined;
  for (const name in attributes) {
    if (name !== "xmlns" && !name.startsWith("xmlns:")) continue;
    scope ??= new Map();
    scope.set(name === "xmlns" ? "" : name.slice(6), attributes[name]!);
  }
  return scope;
}

function lookup(scopes: readonly NamespaceScope[], prefix: string): string | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const uri = scopes[i]?.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

/** The namespace of a qualified name, from the innermost declaration of its prefix. */
function resolve(scopes: readonly NamespaceScope[], qualifiedName: string): string {
  const colon = qualifiedName.indexOf(":");
  const prefix = colon === -1 ? "" : qualifiedName.slice(0, colon);
  const uri = lookup(scopes, prefix);
  if (uri !== undefined) return uri;
  if (prefix === "") return "";
  throw new SoapRequestError(
    "Client",
    `Bad Request: the prefix "${prefix}" of <${qualifiedName}> is not declared`,
  );
}

/**
 * Parses a SOAP 1.1 or 1.2 request envelope; throws SoapRequestError when it is not one.
 *
 * saxes is a strict, conforming XML parser: anything that is not well-formed fails, as PHP's
 * SoapServer would refuse it. It reports events, and an SMSC request is flat (Envelope / Body /
 * operation element / string fields), so the fields are collected as the events pass; measured
 * about 8× cheaper per request than building a document object first. Two namespaces matter: the
 * Envelope's says the SOAP version, the operation element's is the namespace of the client's WSDL, which
 * the answer must use for the client to read it. They are resolved here from the declarations on the
 * first three levels (an unbound prefix there is refused); saxes' own namespace mode would do it for
 * every element and doubles the cost of a parse.
 */
export function parseSoapRequest(xml: string): ParsedSoapRequest {
  // A DTD has no place in SOAP 1.1 and is the vector for entity-expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) throw new SoapRequestError("Client", "DTD is not allowed in a SOAP message");
  const path: string[] = [];
  let sawEnvelope = false;
  let sawBody = false;
  let element: string | undefined;
  let namespace = "";
  let envelopeNamespace = "";
  let notUnderstood: string | undefined;
  let field: string | undefined;
  let text = "";
  let nested = false;
  const fields: Record<string, string> = {};
  const malformed = new Set<string>();

  const scopes: NamespaceScope[] = [];

  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    const depth = path.push(name);
    if (depth <= 3) scopes.push(declarationsOf(tag.attributes as Record<string, string>));
    if (depth === 1) {
      sawEnvelope = name === "Envelope";
      envelopeNamespace = resolve(scopes, tag.name);
    } else if (depth === 2 && name === "Body" && path[0] === "Envelope") sawBody = true;
    else if (depth === 3 && path[1] === "Header" && notUnderstood === undefined) {
      const attributes = tag.attributes as Record<string, string>;
      if (mustBeUnderstood(attributes, envelopeNamespace, (prefix) => lookup(scopes, prefix))) {
        notUnderstood = tag.name;
      }
    } else if (depth === 3 && path[1] === "Body" && element === undefined) {
      element = name;
      namespace = resolve(scopes, tag.name);
    } else if (depth === 4 && path[1] === "Body" && path[2] === element) {
      field = name;
      text = "";
      nested = false;
    } else if (depth > 4 && field !== undefined) nested = true;
  });
  parser.on("text", (chunk) => {
    if (field !== undefined && path.length === 4) text += chunk;
  });
  parser.on("cdata", (chunk) => {
    if (field !== undefined && path.length === 4) text += chunk;
  });
  parser.on("closetag", () => {
    if (path.length === 4 && field !== undefined) {
      if (nested || field in fields || malformed.has(field)) {
        malformed.add(field);
        delete fields[field];
      } else {
        fields[field] = text;
      }
      field = undefined;
    }
    if (path.length <= 3) scopes.pop();
    path.pop();
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof SoapRequestError) throw error;
    throw new SoapRequestError("Client", "Bad Request: the body is not well-formed XML");
  }
  if (!sawEnvelope) throw new SoapRequestError("Client", "Bad Request: no SOAP Envelope");
  const soapVersion = ENVELOPE_VERSIONS.get(envelopeNamespace);
  if (soapVersion === undefined) {
    throw new SoapRequestError(
      "VersionMismatch",
      `Wrong Version: the Envelope's namespace "${envelopeNamespace}" is neither SOAP 1.1's nor SOAP 1.2's`,
    );
  }
  if (notUnderstood !== undefined) {
    throw new SoapRequestError("MustUnderstand", `Header <${notUnderstood}> not understood`, soapVersion);
  }
  if (!sawBody) throw new SoapRequestError("Client", "Bad Request: no SOAP Body", soapVersion);
  if (element === undefined)
    throw new SoapRequestError("Client", "Bad Request: empty SOAP Body", soapVersion);
  return { soapVersion, namespace, element, fields, malformedFields: [...malformed] };
}
