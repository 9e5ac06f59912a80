import { TextDecoder } from "node:util";
import { SoapRequestError } from "./request.js";

/**
 * Turns a request body's bytes into text by the encoding the document declares, never by guessing.
 *
 * An XML document names its encoding itself: a byte-order mark, or the `encoding` of its XML declaration
 * (`<?xml version="1.0" encoding="windows-1251"?>`, legal XML a parser must honour); with neither it is
 * UTF-8. That is all SMSC reads: its SoapServer (PHP, libxml) follows the declaration and ignores the
 * Content-Type charset, and refuses a body that has no declaration and is not UTF-8 (checked against PHP
 * 8.2's SoapServer). The simulator reads the same way, so a client that passes here is read the same
 * there. Decoding is strict: bytes that are not valid in the declared encoding, or an encoding this
 * runtime cannot decode, get a SOAP Fault, because a message read in the wrong encoding would be stored,
 * sent and charged as mojibake. A Content-Type charset is used only to explain such a fault.
 */
export function decodeSoapBody(body: Uint8Array, contentType: string | undefined): string {
  const bom = byteOrderMark(body);
  const declared = declaredEncoding(body, bom);
  // The common case, kept cheap: UTF-8 by mark, declaration or default.
  if ((bom === undefined || bom === "utf-8") && (declared === undefined || UTF_8.test(declared))) {
    return declared === undefined && bom === undefined
      ? decodeUndeclared(body, contentType)
      : decodeWith(body, {
          where: bom === undefined ? "XML declaration" : "byte-order mark",
          label: "utf-8",
          decoder: UTF_8_DECODER,
        });
  }

  // A declaration readable byte for byte as ASCII is not in UTF-16, whatever it says (XML requires UTF-16
  // documents to start with a byte-order mark).
  if (declared !== undefined && bom === undefined && /^utf-16/i.test(declared.trim())) {
    throw new SoapRequestError(
      "Client",
      `the XML declaration says "${declared}" but the body has no UTF-16 byte-order mark and is not UTF-16`,
    );
  }
  const sources: { where: string; label: string }[] = [];
  if (bom !== undefined) sources.push({ where: "byte-order mark", label: bom });
  // With a UTF-16 byte-order mark, "UTF-16" in the declaration names the family; the mark says which order.
  if (declared !== undefined && !(bom?.startsWith("utf-16") === true && /^utf-16$/i.test(declared.trim()))) {
    sources.push({ where: "XML declaration", label: declared });
  }

  const decoders: Source[] = [];
  for (const source of sources) {
    const decoder = decoderFor(source.where, source.label);
    if (!decoders.some((known) => known.decoder.encoding === decoder.encoding)) {
      decoders.push({ ...source, decoder });
    }
  }
  const [first, second] = decoders;
  if (second === undefined) return decodeWith(body, first!);
  // A mark and a declaration that name different encodings are fine while they read the body the same.
  const readings = decoders.map((source) => {
    try {
      return decodeWith(body, source);
    } catch {
      return undefined;
    }
  });
  const [text] = readings;
  if (text !== undefined && readings.every((reading) => reading === text)) return text;
  throw new SoapRequestError(
    "Client",
    `the ${first!.where} says "${first!.label}" but the ${second.where} says "${second.label}", ` +
      "and the body reads differently in each; declare one encoding",
  );
}

/** A body with no mark and no declaration is UTF-8; when it is not, say what SMSC would need. */
function decodeUndeclared(body: Uint8Array, contentType: string | undefined): string {
  try {
    return UTF_8_DECODER.decode(body);
  } catch {
    const charset = charsetOf(contentType);
    const hint =
      charset !== undefined && !/^utf-?8$/i.test(charset.trim())
        ? ` SMSC reads the encoding from the XML declaration, not from the Content-Type charset ("${charset}"):` +
          ` start the body with <?xml version="1.0" encoding="${charset}"?>`
        : ' Declare its encoding in the XML declaration, e.g. <?xml version="1.0" encoding="windows-1251"?>';
    throw new SoapRequestError(
      "Client",
      `Bad Request: the body has no encoding declaration and is not valid UTF-8.${hint}`,
    );
  }
}

interface Source {
  where: string;
  label: string;
  decoder: TextDecoder;
}

function byteOrderMark(body: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  return undefined;
}

const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/** The `charset` parameter of a Content-Type (`text/xml; charset=windows-1251`, `application/soap+xml; charset=utf-8; action="…"`). */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType === undefined ? null : CHARSET.exec(contentType);
  const value = match?.[1] ?? match?.[2];
  return value === undefined || value === "" ? undefined : value;
}

const DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const UTF_8 = /^\s*utf-?8\s*$/i;

/**
 * The `encoding` of the XML declaration. Without a UTF-16 mark the declaration is ASCII in every
 * encoding XML allows, so reading the first bytes as Latin-1 finds it before the encoding is known.
 */
function declaredEncoding(body: Uint8Array, bom: string | undefined): string | undefined {
  // Cheap exit: no declaration at all (the first bytes, after a UTF-8 mark, are not "<?xml").
  const start = bom === "utf-8" ? 3 : 0;
  if (bom === undefined || bom === "utf-8") {
    if (body[start] !== 0x3c || body[start + 1] !== 0x3f) return undefined;
  }
  const text = bom?.startsWith("utf-16")
    ? new TextDecoder(bom).decode(body.subarray(2, 514))
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1", start, start + 256);
  const match = DECLARATION.exec(text);
  return match?.[1] ?? match?.[2];
}

// Decoders by label. A TextDecoder used without `stream` keeps no state between calls, so one per encoding
// serves every request; building one costs more than decoding a typical request.
const DECODERS = new Map<string, TextDecoder>();
const MAX_CACHED_LABELS = 64;
const UTF_8_DECODER = new TextDecoder("utf-8", { fatal: true });

function decoderFor(where: string, label: string): TextDecoder {
  const key = label.trim().toLowerCase();
  let decoder = DECODERS.get(key);
  if (decoder !== undefined) return decoder;
  try {
    // WHATWG's encodings: UTF-8, UTF-16, windows-125x, KOI8-R/U, ISO-8859-x, the CJK ones; labels such as
    // cp1251 resolve to their canonical name. UTF-32 and made-up names are not among them.
    decoder = new TextDecoder(key, { fatal: true });
  } catch {
    throw new SoapRequestError("Client", `unsupported encoding "${label}" (${where})`);
  }
  // Only labels that name an encoding are kept, and not without bound: a client cannot grow the cache.
  if (DECODERS.size < MAX_CACHED_LABELS) DECODERS.set(key, decoder);
  return decoder;
}

// WHATWG (and so TextDecoder) reads these labels as windows-1252, which would turn any 8-bit byte into a
// Latin letter; libxml reads them as ASCII and refuses such bytes, and so does the simulator.
const ASCII_LABELS = new Set(["us-ascii", "ascii", "ansi_x3.4-1968"]);

function decodeWith(body: Uint8Array, source: Source): string {
  if (ASCII_LABELS.has(source.label.trim().toLowerCase()) && body.some((byte) => byte > 0x7f)) {
    throw new SoapRequestError(
      "Client",
      `the body is not valid US-ASCII (the encoding named by the ${source.where}): declare the encoding its 8-bit bytes are in`,
    );
  }
  try {
    return source.decoder.decode(body);
  } catch {
    throw new SoapRequestError(
      "Client",
      `the body is not valid ${source.decoder.encoding} (the encoding named by the ${source.where})`,
    );
  }
}
