import { buildFaultEnvelope } from "../protocol.js";
import type { SoapRequestError, SoapVersion } from "./request.js";

/**
 * What an answer looks like in each SOAP version. SMSC's WSDL binds SOAP 1.1, but a server that reads a
 * SOAP 1.2 envelope answers in SOAP 1.2 (as PHP's SoapServer does): a 1.2 client cannot read a 1.1
 * envelope, and the body of a document/literal answer is the same in both. The SOAP 1.2 HTTP binding
 * sends a Sender fault with 400 and the others with 500; SOAP 1.1 sends every fault with 500.
 */
export function soapContentType(version: SoapVersion): string {
  return version === "1.2" ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
}

/** Before the envelope is read, its media type is the best sign of the version (`application/soap+xml` is 1.2). */
export function soapVersionOfContentType(contentType: string | undefined): SoapVersion {
  return contentType !== undefined && /^\s*application\/soap\+xml\s*(;|$)/i.test(contentType) ? "1.2" : "1.1";
}

export interface FaultAnswer {
  status: number;
  body: string;
  contentType: string;
}

export function faultAnswer(
  version: SoapVersion,
  code: SoapRequestError["faultCode"],
  message: string,
): FaultAnswer {
  return {
    status: version === "1.2" && code === "Client" ? 400 : 500,
    body: buildFaultEnvelope(code, message, version),
    contentType: soapContentType(version),
  };
}
