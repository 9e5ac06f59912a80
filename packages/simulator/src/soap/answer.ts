import { buildFaultEnvelope } from "../protocol.js";
import type { SoapRequestError, SoapVersion } from "./request.js";

/**
 * What an answer looks like in each SOAP version. SMSC's WSDL binds SOAP 1.1, but PHP's SoapServer (SMSC's
 * `soap.php`) answers a SOAP 1.2 envelope in SOAP 1.2: a 1.2 client cannot be expected to read a 1.1
 * envelope, and the body of a document/literal answer is the same in both. Every fault goes out with
 * HTTP 500 in both versions, as PHP's SoapServer sends them (the SOAP 1.2 HTTP binding would allow 400
 * for Sender faults; a client tested here must meet what SMSC sends).
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
    status: 500,
    body: buildFaultEnvelope(code, message, version),
    contentType: soapContentType(version),
  };
}
