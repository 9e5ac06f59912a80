/**
 * What SMSC's answer to one attempt means: the wire result of a success, else the error to throw (a SOAP
 * Fault, an HTTP error without an answer, something that is not this method's answer, an in-band error
 * code). Secrets in fault texts are redacted.
 */
import { SmscApiError, SmscSoapFaultError, SmscTransportError } from "./errors.js";
import { OPERATIONS, type OperationName, type SmscMethod } from "./generated/index.js";
import { classifyError } from "./protocol.js";
import type { Redactor } from "./redact.js";
import { inBandError, type RawResult } from "./results.js";
import { EnvelopeParseError } from "./soap/envelope.js";
import { type Answer, readAnswer } from "./soap/read-answer.js";

/** A call ready to send: its operation, element fields (credentials included) and encoded `query`. */
export interface PreparedCall {
  operation: OperationName;
  element: Record<string, string>;
  query: string | undefined;
}

export function interpretAnswer(
  method: SmscMethod,
  call: PreparedCall,
  response: { status: number; body: string },
  url: string,
  redactor: Redactor,
): RawResult {
  let parsed: Answer | undefined;
  try {
    parsed = readAnswer(response.body);
  } catch (error) {
    if (!(error instanceof EnvelopeParseError)) throw error;
    parsed = undefined;
  }
  if (parsed?.kind === "fault") {
    throw new SmscSoapFaultError({
      faultCode: redactor.text(parsed.faultCode),
      faultString: redactor.text(parsed.faultString),
      url,
      status: response.status,
    });
  }
  if (response.status < 200 || response.status >= 300) {
    // An HTTP error without a SOAP answer: 5xx/408 means the server had the request (unknown);
    // other 4xx come from before SMSC's script ran (a proxy, a wrong path): not sent.
    const reached = response.status >= 500 || response.status === 408;
    throw new SmscTransportError({
      message: `${method}: HTTP ${response.status} from ${url}`,
      outcome: reached ? "unknown" : "not_sent",
      url,
      status: response.status,
      code: "HTTP_STATUS",
    });
  }
  // Lenient within the method: a server answering SendResponse to send2 still answered our send.
  if (parsed === undefined || parsed.kind !== "response" || OPERATIONS[parsed.operation].method !== method) {
    throw new SmscTransportError({
      message: `${method}: unexpected response from ${url} (not a ${call.operation} result)`,
      outcome: "unknown",
      url,
      status: response.status,
      code: "BAD_RESPONSE",
    });
  }
  let code: number | undefined;
  try {
    code = inBandError(parsed.result);
  } catch {
    throw new SmscTransportError({
      message: `${method}: unexpected response from ${url} (error is not a number)`,
      outcome: "unknown",
      url,
      status: response.status,
      code: "BAD_RESPONSE",
    });
  }
  if (code !== undefined) {
    const entry = classifyError(method, code);
    const id = parsed.result["id"];
    throw new SmscApiError({
      method,
      code,
      text: entry.text,
      errorClass: entry.class,
      messageId: typeof id === "string" && id !== "" ? id : call.element["id"],
    });
  }
  return parsed.result;
}
