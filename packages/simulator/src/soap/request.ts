import { XMLParser } from "fast-xml-parser";

/** Why an HTTP body is not a usable SOAP request; each maps to a SOAP Fault, as SMSC's SoapServer answers. */
export class SoapRequestError extends Error {
  constructor(
    readonly faultCode: "Client" | "Server",
    message: string,
  ) {
    super(message);
    this.name = "SoapRequestError";
  }
}

export interface ParsedSoapRequest {
  /** Local name of the first element inside soap:Body (the document/literal input element). */
  element: string;
  /** Leaf values by local name. Values are strings exactly as sent (no trimming, no number coercion). */
  fields: Record<string, string>;
  /** Names that carried structure (nested elements or repeats) instead of a single text value. */
  malformedFields: string[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // SMSC fields are all xsd:string: "007" stays "007", and message text keeps its spaces.
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a SOAP 1.1 request envelope; throws SoapRequestError when it is not one. */
export function parseSoapRequest(xml: string): ParsedSoapRequest {
  // A DTD has no place in SOAP 1.1 and is the vector for entity-expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) throw new SoapRequestError("Client", "DTD is not allowed in a SOAP message");
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    throw new SoapRequestError("Client", "Bad Request: the body is not well-formed XML");
  }
  const envelope = isRecord(doc) ? doc["Envelope"] : undefined;
  if (!isRecord(envelope)) throw new SoapRequestError("Client", "Bad Request: no SOAP Envelope");
  const body = envelope["Body"];
  if (!isRecord(body)) throw new SoapRequestError("Client", "Bad Request: no SOAP Body");
  const element = Object.keys(body).find((key) => key !== "#text");
  if (element === undefined) throw new SoapRequestError("Client", "Bad Request: empty SOAP Body");
  const content = body[element];
  const fields: Record<string, string> = {};
  const malformedFields: string[] = [];
  if (isRecord(content)) {
    for (const [name, value] of Object.entries(content)) {
      if (name === "#text") continue;
      if (typeof value === "string") fields[name] = value;
      else malformedFields.push(name);
    }
  } else if (typeof content !== "string" || content.trim() !== "") {
    malformedFields.push(element);
  }
  return { element, fields, malformedFields };
}
