import { z } from "zod";

// The shape of spec/catalog.yaml. Every object is strict so that a misspelt key fails generation with
// its path instead of being silently ignored.

const confidence = z
  .enum(["confirmed", "confirmed-3p", "inferred", "unknown"])
  .describe("confirmed = SMSC says so; confirmed-3p = independent clients agree; inferred = our reasoning.");
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
/**
 * A method groups an operation and its `*2` twin (send_sms + send_sms2 → send). The set of methods is
 * whatever `operations` names: nothing here lists them, so a new SMSC operation needs catalog entries only.
 */
const method = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a lower-case identifier ([a-z][a-z0-9_]*)");

export const ERROR_CLASS_NAMES = [
  "retryable",
  "rate_limited",
  "ip_blocked",
  "auth",
  "funds",
  "duplicate",
  "invalid_request",
  "invalid_recipient",
  "denied",
  "not_found",
  "ok",
] as const;

const text = z.strictObject({
  en: z.string().min(1),
  ru: z.string().min(1).optional(),
});

const namedPattern = z.strictObject({
  name: z.string().min(1),
  regex: z.string().min(1),
  description: z.string().min(1),
});

const textFormat = z.strictObject({
  kind: z.literal("text"),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
  /** The value must match at least one of these (anchored) patterns. */
  patterns: z.array(namedPattern).min(1).optional(),
});

const integerFormat = z.strictObject({
  kind: z.literal("integer"),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});

const decimalFormat = z.strictObject({
  kind: z.literal("decimal"),
  min: z.number().optional(),
  max: z.number().optional(),
});

const enumFormat = z.strictObject({
  kind: z.literal("enum"),
  values: z.array(z.strictObject({ value: z.string(), description: z.string().min(1) })).min(1),
  /** An optional suffix allowed after any value (unanchored regex source), e.g. a language for `voice`. */
  suffixPattern: z.string().min(1).optional(),
  suffixDescription: z.string().min(1).optional(),
});

const listFormat = z.strictObject({
  kind: z.literal("list"),
  separators: z.array(z.string().length(1)).min(1),
  /** Each list item must match one of these (unanchored regex sources). */
  items: z
    .array(
      z.strictObject({ name: z.string().min(1), pattern: z.string().min(1), description: z.string().min(1) }),
    )
    .min(1),
});

const simpleFormat = z.discriminatedUnion("kind", [
  textFormat,
  integerFormat,
  decimalFormat,
  enumFormat,
  listFormat,
]);

const anyOfFormat = z.strictObject({
  kind: z.literal("anyOf"),
  alternatives: z.array(simpleFormat).min(2),
});

export const formatSchema = z.discriminatedUnion("kind", [
  textFormat,
  integerFormat,
  decimalFormat,
  enumFormat,
  listFormat,
  anyOfFormat,
]);

const parameterCommon = {
  methods: z.array(method).min(1),
  format: formatSchema,
  default: z.string().nullable().optional(),
  /** The SMSC error code a bad value yields. */
  smscError: z.number().int().nonnegative().describe("The SMSC error code a bad value yields."),
  description: text,
  /** login/psw/apikey: supplied by the client's credentials, not by request options. */
  credential: z.boolean().optional(),
  /** Never logged, printed or put into an error. */
  secret: z.boolean().optional(),
  /** What SMSC does with a malformed value (default: answers with `smscError`). */
  onInvalid: z.enum(["error", "clamped", "defaults", "ignored"]).optional(),
  /** Options that must be present too, or SMSC answers with `smscError`. */
  requires: z.array(identifier).optional(),
  /** Options without which this one has no effect. */
  ignoredWithout: z.array(identifier).optional(),
  /**
   * Parameters this one stands in for when set: they are then not required and may be empty
   * (`list` carries the phones and texts of its lines).
   */
  replaces: z.array(identifier).optional(),
  confidence,
  notes: z.string().min(1).optional(),
};

export const fieldSchema = z.strictObject({
  /** WSDL input elements that carry this field (cross-checked with the WSDL). */
  elements: z.array(identifier).min(1),
  ...parameterCommon,
});

export const queryOptionSchema = z.strictObject({
  /** The message kind this option switches on, if any. */
  kind: identifier.optional(),
  ...parameterCommon,
});

/** One field of an operation's example answer: a text, a list of texts, or a list of records. */
const exampleValue = z.union([
  z.string(),
  z.array(z.string()).min(1),
  z.array(z.record(identifier, z.string())).min(1),
]);

export const resultFieldSchema = z.strictObject({
  /** WSDL complex types that carry this field (cross-checked with the WSDL). */
  types: z.array(identifier).min(1),
  valueType: z.enum(["string", "integer", "decimal", "date", "timestamp", "record"]),
  /** For status answers: the `all` level from which the field is present. */
  allLevel: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  /** Methods whose every successful answer carries this field (the decoder then requires it). */
  requiredIn: z.array(method).min(1).optional(),
  /** A typical value (wire form): documentation, and what the simulator answers for a method it has no behaviour for. */
  example: z.string().optional(),
  description: text,
  confidence,
  notes: z.string().min(1).optional(),
});

const errorEntry = z.strictObject({
  code: z.number().int().nonnegative(),
  class: z.enum(ERROR_CLASS_NAMES),
  text: z.string().min(1),
  textRu: z.string().min(1).optional(),
  confidence,
  notes: z.string().min(1).optional(),
});

const statusEntry = z.strictObject({
  code: z.number().int(),
  name: z.string().min(1),
  nameRu: z.string().min(1),
  description: z.string().min(1),
  final: z.boolean(),
  kind: z.enum(["not_found", "paused", "pending", "delivered", "failed"]),
  confidence,
});

const deliveryErrorEntry = z.strictObject({
  code: z.number().int().nonnegative(),
  name: z.string().min(1),
  nameRu: z.string().min(1),
  description: z.string().min(1),
  confidence,
});

const rateRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "must be kebab-case"),
  /** A method named in `operations`, or "any". */
  method,
  measure: z.enum([
    "identical-requests",
    "concurrent-requests",
    "messages-to-one-phone",
    "requests-per-message",
    "mass-requests",
    "requests",
    "auth-errors",
    "consecutive-errors",
    "same-type-requests",
  ]),
  /** The most that is allowed; one more triggers the outcome. null = not published. */
  limit: z.number().int().nonnegative().nullable(),
  windowSeconds: z.number().int().positive().nullable(),
  scope: z.enum(["login", "ip", "phone", "message"]),
  outcome: z.union([
    z.strictObject({ error: z.number().int().nonnegative() }),
    z.strictObject({ status: z.number().int() }),
  ]),
  blockSeconds: z.number().int().positive().optional(),
  exemptAllowedIps: z.boolean().optional(),
  description: text,
  confidence,
});

/** The most one request may carry: recipients, `list` lines, bytes (per method). */
const requestLimit = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "must be kebab-case"),
  method,
  measure: z.enum(["recipients", "list-lines", "bytes"]),
  limit: z.number().int().positive(),
  description: text,
  confidence,
  notes: z.string().min(1).optional(),
});

const messageKind = z.strictObject({
  option: identifier,
  values: z.array(z.string()).min(1),
  ignoresMes: z.boolean(),
  needsSubj: z.boolean(),
  statusType: z.number().int().nonnegative().nullable(),
  confidence,
});

const kindConflict = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "must be kebab-case"),
  kinds: z.array(identifier).min(2),
  rule: z.literal("at-most-one"),
  smscError: z.number().int().nonnegative(),
  description: text,
  confidence,
});

const signatureAlgorithm = z.enum(["md5", "sha1"]);

const callbackSection = z.strictObject({
  signature: z.strictObject({
    /** Callback form fields whose values enter the signed string, in order. */
    fields: z.array(identifier).min(1),
    /** Where the secret goes in the signed string. */
    secretPosition: z.enum(["first", "last"]),
    separator: z.string().min(1),
    algorithms: z.array(signatureAlgorithm).min(1),
    encoding: z.literal("hex-lower"),
    /** The form field that carries each algorithm's digest. */
    signatureFields: z.partialRecord(signatureAlgorithm, identifier),
    description: text,
    confidence,
    notes: z.string().min(1).optional(),
  }),
});

const partSizes = z.strictObject({ single: z.number().int().positive(), multi: z.number().int().positive() });

export const catalogSchema = z.strictObject({
  catalogVersion: z.literal(1).describe("Version of this catalog format."),
  soap: z.strictObject({
    path: z.string().startsWith("/"),
    namespacePolicy: z
      .enum(["follows-host", "fixed"])
      .describe("follows-host: namespace and soapAction are <origin><path> of the host being called."),
    namespaceNote: z.string().min(1),
    confidence,
  }),
  operations: z
    .record(
      identifier,
      z.strictObject({
        /** The method this operation belongs to; its variant (plain or with `query`) comes from the WSDL. */
        method,
        description: text,
        /**
         * A typical successful answer, field by field in wire form (cross-checked with the WSDL result type
         * and each field's valueType): a text per field; a list for a repeated field, of texts, or of records
         * (field → text) for a record type. What the simulator answers for a method it has no behaviour of
         * its own for (fields it keeps state for, such as `balance`, come from that state), and documentation.
         */
        example: z.record(identifier, exampleValue).optional(),
      }),
    )
    .describe("One entry per WSDL operation: the method it belongs to."),
  methods: z
    .record(
      method,
      z.strictObject({
        description: text,
        /**
         * Safe to repeat (reads only): the client retries it and fails over to the backup host. A method
         * that creates something (send) is tried exactly once.
         */
        idempotent: z.boolean(),
        confidence,
      }),
    )
    .describe("One entry per method named in operations: what it does and whether it may be retried."),
  fields: z
    .record(identifier, fieldSchema)
    .describe("Fields of the WSDL input elements (cross-checked with the WSDL)."),
  queryOptions: z.record(identifier, queryOptionSchema).describe("Options that travel inside `query`."),
  results: z
    .record(identifier, resultFieldSchema)
    .describe("Fields of the WSDL result types (cross-checked)."),
  messageKinds: z
    .record(identifier, messageKind)
    .describe("Message kinds and the option that turns each on."),
  kindConflicts: z.array(kindConflict).describe("Groups of message kinds that exclude each other."),
  errors: z
    .record(method, z.array(errorEntry).min(1))
    .describe("Request error codes per method (every method named in operations has a list)."),
  statuses: z.array(statusEntry).min(1).describe("Message status codes (`status`)."),
  statusTransitions: z.array(
    z.strictObject({ from: z.number().int(), to: z.array(z.number().int()).min(1) }),
  ),
  deliveryErrors: z.array(deliveryErrorEntry).min(1).describe("Delivery error codes (`err`)."),
  rateRules: z.array(rateRule).describe("Rate and abuse rules."),
  requestLimits: z.array(requestLimit).default([]).describe("The most one request may carry."),
  callback: callbackSection.describe("The status callback SMSC POSTs to the account's handler."),
  segments: z.strictObject({
    maxChars: z.number().int().positive(),
    gsm7: partSizes,
    ucs2: partSizes,
    gsm7Basic: z.string().min(1),
    gsm7Extension: z.string().min(1),
    extensionUnits: z.number().int().positive(),
    confidence,
    notes: z.string().min(1).optional(),
  }),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type Format = z.infer<typeof formatSchema>;
export type CatalogField = z.infer<typeof fieldSchema>;
export type CatalogQueryOption = z.infer<typeof queryOptionSchema>;
export type CatalogResultField = z.infer<typeof resultFieldSchema>;
export type Method = z.infer<typeof method>;
