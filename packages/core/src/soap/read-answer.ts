/**
 * Reads SMSC's answer to one call: a `*Response` envelope or a SOAP Fault. The client's hot path: the
 * answer is collected from parser events as they pass, which measured about six times cheaper per answer
 * than building fast-xml-parser's document first (bench/soap-client). The events come from readSimpleXml
 * (simple-xml.ts) for the plain XML answers are made of, and from saxes (a strict, conforming XML parser)
 * for any document outside that subset, which saxes then accepts or refuses. parseEnvelope (envelope.ts)
 * stays the general reader for requests and tests.
 */
import { SaxesParser } from "saxes";
import { OPERATIONS, type OperationName } from "../generated/index.js";
import { EnvelopeParseError, type WireValue } from "./envelope.js";
import { readSimpleXml, type SimpleXmlHandler } from "./simple-xml.js";

export type Answer =
  | { kind: "response"; operation: OperationName; result: Record<string, WireValue> }
  | { kind: "fault"; faultCode: string; faultString: string };

const OUTPUT_ELEMENTS = new Map<string, OperationName>(
  (Object.keys(OPERATIONS) as OperationName[]).map((name) => [OPERATIONS[name].outputElement, name]),
);
/** Per operation, its repeated result fields (`errors`) by name, with their type: looked up on every field of every answer. */
const REPEATED_FIELDS = new Map<OperationName, ReadonlyMap<string, string>>(
  (Object.keys(OPERATIONS) as OperationName[]).map((name) => [
    name,
    new Map(OPERATIONS[name].resultFields.filter((f) => f.repeated).map((f) => [f.name, f.type])),
  ]),
);

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Depths: 1 Envelope, 2 Body, 3 the answer element, 4 its `*result` (or a fault part), 5 fields, 6 record items. */
class AnswerCollector {
  path: string[] = [];
  body: string | undefined;
  operation: OperationName | undefined;
  /** The operation's `*result` element, once the answer element is known. */
  resultElement: string | undefined;
  result: Record<string, WireValue> = {};
  fault: Record<string, string> = {};
  text = "";
  /** The record being filled for a depth-5 element that has children (`errors`). */
  record: Record<string, string> | undefined;
  sawResult = false;

  open(name: string): void {
    const depth = this.path.push(name);
    this.text = "";
    if (depth === 1 && name !== "Envelope")
      throw new EnvelopeParseError("not a SOAP envelope: no Envelope/Body");
    if (depth === 2 && name !== "Body") throw new EnvelopeParseError("not a SOAP envelope: no Envelope/Body");
    if (depth === 3 && this.body === undefined) {
      this.body = name;
      this.operation = OUTPUT_ELEMENTS.get(name);
      this.resultElement =
        this.operation === undefined ? undefined : OPERATIONS[this.operation].resultElement;
      if (name !== "Fault" && this.operation === undefined) {
        throw new EnvelopeParseError(`unknown SOAP body element <${name}>`);
      }
    }
    if (depth === 4 && this.operation !== undefined) {
      this.sawResult ||= name === this.resultElement;
    }
    if (depth === 6 && this.operation !== undefined) this.record ??= {};
  }

  close(): void {
    const depth = this.path.length;
    const name = this.path[depth - 1] ?? "";
    if (this.body === "Fault") {
      // SOAP 1.1 faultcode/faultstring at depth 4; SOAP 1.2 Code/Value and Reason/Text at depth 5.
      if (depth === 4 || depth === 5) this.fault[name] ??= this.text;
    } else if (this.operation !== undefined && this.path[3] === this.resultElement) {
      if (depth === 6 && this.record !== undefined) this.record[name] = this.text;
      if (depth === 5) {
        const repeated = repeatedType(this.operation, name);
        if (this.record !== undefined) {
          const previous = this.result[name];
          this.result[name] = [...(Array.isArray(previous) ? previous : []), this.record];
          this.record = undefined;
        } else if (repeated === "string") {
          // A repeated xsd:string field: each occurrence is one of its texts.
          const previous = this.result[name];
          const texts = Array.isArray(previous)
            ? previous.filter((v): v is string => typeof v === "string")
            : [];
          this.result[name] = [...texts, this.text];
        } else if (repeated !== undefined) {
          const previous = this.result[name];
          const records = Array.isArray(previous)
            ? previous.filter((v): v is Readonly<Record<string, string>> => typeof v !== "string")
            : [];
          this.result[name] = [...records, {}];
        } else {
          this.result[name] = this.text;
        }
      }
    }
    this.path.pop();
    this.text = "";
  }
}

/** The WSDL type of a repeated result field of `operation` (undefined when the field is not repeated). */
function repeatedType(operation: OperationName, name: string): string | undefined {
  return REPEATED_FIELDS.get(operation)?.get(name);
}

let collector = new AnswerCollector();

/**
 * One parser for the process, reused (saxes resets itself when a document ends; parsing is synchronous,
 * so calls never interleave). After a failure mid-document it is replaced, never reused dirty.
 */
function createParser(): SaxesParser<{ position: false }> {
  // Without position tracking (saxes counts lines and columns of every character otherwise): a malformed
  // answer is reported by what is wrong, and the answer itself is never shown (it may echo a secret).
  const created = new SaxesParser({ position: false });
  created.on("opentag", (tag) => collector.open(localName(tag.name)));
  created.on("text", (chunk) => {
    collector.text += chunk;
  });
  created.on("cdata", (chunk) => {
    collector.text += chunk;
  });
  created.on("closetag", () => collector.close());
  return created;
}
let parser = createParser();

/** The simple reader's events, into the current collector. */
const simpleHandler: SimpleXmlHandler = {
  open: (name) => collector.open(localName(name)),
  text: (text) => {
    collector.text += text;
  },
  close: () => collector.close(),
};

export interface ReadAnswerOptions {
  /** Read with saxes only (the reference the simple reader is tested against). */
  fullParser?: boolean;
}

/** Parses SMSC's answer; throws EnvelopeParseError for anything that is not a known answer or a fault. */
export function readAnswer(xml: string, options: ReadAnswerOptions = {}): Answer {
  // The declaration's encoding means nothing to a string already decoded; skipping it saves the parser the work.
  const bodyAt = xml.startsWith("<?xml") ? xml.indexOf("?>") + 2 : 0;
  collector = new AnswerCollector();
  if (options.fullParser === true || !readSimpleXml(xml, simpleHandler, bodyAt)) {
    // A DTD has no place in SOAP and is the vector for entity-expansion attacks (the simple reader stops at
    // any `<!`, so only a document handed on can hold one).
    if (/<!DOCTYPE/i.test(xml)) throw new EnvelopeParseError("a DTD is not allowed in a SOAP message");
    // Outside the simple subset (or asked to): saxes reads the whole document again from a clean collector.
    collector = new AnswerCollector();
    try {
      parser.write(bodyAt === 0 ? xml : xml.slice(bodyAt)).close();
    } catch (error) {
      parser = createParser();
      if (error instanceof EnvelopeParseError) throw error;
      throw new EnvelopeParseError(
        `malformed XML: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (collector.body === undefined) throw new EnvelopeParseError("empty SOAP Body");
  if (collector.body === "Fault") {
    const fault = collector.fault;
    return {
      kind: "fault",
      faultCode: (fault["faultcode"] ?? fault["Value"] ?? "").trim(),
      faultString: (fault["faultstring"] ?? fault["Text"] ?? "").trim(),
    };
  }
  const operation = collector.operation as OperationName;
  if (!collector.sawResult) {
    throw new EnvelopeParseError(`<${collector.body}> has no <${OPERATIONS[operation].resultElement}>`);
  }
  return { kind: "response", operation, result: collector.result };
}
