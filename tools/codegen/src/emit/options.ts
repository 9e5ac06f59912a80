import type { Format } from "../catalog-schema.js";
import type { Model, ModelParameter } from "../model.js";
import { type Data, dataLiteral, docComment, HEADER } from "./literal.js";

function formatData(format: Format): Data {
  switch (format.kind) {
    case "text":
      return {
        kind: "text",
        minLength: format.minLength ?? null,
        maxLength: format.maxLength ?? null,
        patterns: (format.patterns ?? []).map((p) => ({
          name: p.name,
          regex: p.regex,
          description: p.description,
        })),
      };
    case "integer":
    case "decimal":
      return { kind: format.kind, min: format.min ?? null, max: format.max ?? null };
    case "enum":
      return {
        kind: "enum",
        values: format.values.map((v) => ({ value: v.value, description: v.description })),
        suffixPattern: format.suffixPattern ?? null,
        suffixDescription: format.suffixDescription ?? null,
      };
    case "list":
      return {
        kind: "list",
        separators: format.separators,
        items: format.items.map((i) => ({ name: i.name, pattern: i.pattern, description: i.description })),
      };
    case "anyOf":
      return { kind: "anyOf", alternatives: format.alternatives.map(formatData) };
  }
}

function parameterData(p: ModelParameter): Data {
  return {
    name: p.name,
    type: p.format.kind,
    description: p.description,
    descriptionRu: p.descriptionRu,
    default: p.default,
    methods: p.methods,
    ...(p.origin === "field" ? { elements: p.elements } : { kind: p.kind }),
    smscError: p.smscError,
    rule: p.rule,
    format: formatData(p.format),
    onInvalid: p.onInvalid,
    requires: p.requires,
    ignoredWithout: p.ignoredWithout,
    replaces: p.replaces,
    credential: p.credential,
    secret: p.secret,
    confidence: p.confidence,
    notes: p.notes,
  };
}

export function emitOptions(model: Model): string {
  const fields = Object.fromEntries(model.fields.map((p) => [p.name, parameterData(p)]));
  const options = Object.fromEntries(model.queryOptions.map((p) => [p.name, parameterData(p)]));
  const kinds = Object.fromEntries(
    Object.entries(model.messageKinds)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, k]) => [
        name,
        {
          name,
          option: k.option,
          values: k.values,
          ignoresMes: k.ignoresMes,
          needsSubj: k.needsSubj,
          statusType: k.statusType,
          confidence: k.confidence,
        },
      ]),
  );
  const conflicts = model.kindConflicts.map((c) => ({
    id: c.id,
    kinds: [...c.kinds].sort(),
    rule: c.rule,
    smscError: c.smscError,
    description: c.description.en,
    confidence: c.confidence,
  }));
  const results = Object.fromEntries(
    model.results.map((r) => [
      r.name,
      {
        name: r.name,
        valueType: r.valueType,
        types: r.types,
        allLevel: r.allLevel,
        description: r.description,
        confidence: r.confidence,
        notes: r.notes,
      },
    ]),
  );
  const s = model.segments;
  const segments = {
    maxChars: s.maxChars,
    gsm7: { single: s.gsm7.single, multi: s.gsm7.multi },
    ucs2: { single: s.ucs2.single, multi: s.ucs2.multi },
    gsm7Basic: s.gsm7Basic,
    gsm7Extension: s.gsm7Extension,
    extensionUnits: s.extensionUnits,
    confidence: s.confidence,
    notes: s.notes ?? null,
  };
  const c = model.callback.signature;
  const callbackSignature = {
    fields: c.fields,
    secretPosition: c.secretPosition,
    separator: c.separator,
    algorithms: c.algorithms,
    encoding: c.encoding,
    signatureFields: Object.fromEntries(
      c.algorithms.map((algorithm) => [algorithm, c.signatureFields[algorithm]]),
    ),
    description: c.description.en,
    confidence: c.confidence,
    notes: c.notes ?? null,
  };
  const secrets = [...model.fields, ...model.queryOptions]
    .filter((p) => p.secret)
    .map((p) => p.name)
    .sort();

  return `${HEADER}

${docComment("Metadata of every WSDL element field: format, rule text, SMSC error code for a bad value, where it applies.")}export const FIELDS = ${dataLiteral(fields)} as const;

export type FieldName = keyof typeof FIELDS;

${docComment("Metadata of every option that travels inside `query`.")}export const QUERY_OPTIONS = ${dataLiteral(options)} as const;

export type QueryOptionName = keyof typeof QUERY_OPTIONS;

${docComment("Parameters that must never appear in logs, errors, URLs or snapshots.")}export const SECRET_PARAMETERS = ${dataLiteral(secrets)} as const;

${docComment("Message kinds: the option (and values) that turn each on, whether `mes` is ignored, whether `subj` is needed, the status `type` number.")}export const MESSAGE_KINDS = ${dataLiteral(kinds)} as const;

export type MessageKind = keyof typeof MESSAGE_KINDS;

${docComment("Groups of kinds that exclude each other.")}export const KIND_CONFLICTS = ${dataLiteral(conflicts)} as const;

${docComment("Fields of the result types: how to parse each string and from which `all` level a status answer carries it.")}export const RESULT_FIELDS = ${dataLiteral(results)} as const;

${docComment("Segment rules: part sizes, the 1000-character cap and the GSM-7 alphabets.")}export const SEGMENT_RULES = ${dataLiteral(segments)} as const;

${docComment("How SMSC signs a status callback: the fields and secret joined by the separator, digested by each algorithm, lower-case hex in the form field named for it.")}export const CALLBACK_SIGNATURE = ${dataLiteral(callbackSignature)} as const;

export type CallbackSignatureAlgorithm = (typeof CALLBACK_SIGNATURE.algorithms)[number];
`;
}
