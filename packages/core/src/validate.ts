/**
 * validateRequest: the one place where a request is judged, used by the client before it sends and by
 * the simulator when it receives. Fields are in wire form (strings, `query` already decoded into the
 * same object). The per-field rules are the generated zod schemas; the cross-field rules (one message
 * kind at most, `mes` unless the kind ignores it, `subj` for mail, options that require another,
 * options that stand in for `phones`/`mes`) are the catalog's MESSAGE_KINDS / KIND_CONFLICTS /
 * `requires` / `replaces` data applied here.
 */
import type { z } from "zod";
import { SmscValidationError, type ValidationIssue } from "./errors.js";
import { issue } from "./field-rules.js";
import {
  FIELDS,
  KIND_CONFLICTS,
  MESSAGE_KINDS,
  QUERY_OPTIONS,
  SMSC_METHODS,
  type SmscMethod,
} from "./generated/index.js";
import { activeKinds } from "./message-kinds.js";
import { impossiblePhones, type PhoneOptions } from "./phones.js";
import { wireValue } from "./requests.js";
import { parseSendTime } from "./send-time.js";
import { hasCharForbiddenInXml } from "./soap/xml-text.js";
import { listIssues } from "./validate-list.js";
import { schemaFor } from "./validate-schema.js";

interface ParameterMeta {
  credential: boolean;
  /** What SMSC does with a bad value: refuse (`error`) or carry on with a default/clamped/no value. */
  onInvalid: string;
  methods: readonly string[];
  requires: readonly string[];
  /** Parameters this one stands in for when set (`list` → phones, mes). */
  replaces?: readonly string[];
}

const PARAMETERS: Readonly<Record<string, ParameterMeta | undefined>> = {
  ...(FIELDS as unknown as Record<string, ParameterMeta>),
  ...(QUERY_OPTIONS as unknown as Record<string, ParameterMeta>),
};

/** Per method, the parameters it takes (catalog `methods` of each field and option), as a set. */
const METHOD_PARAMETERS = new Map<string, ReadonlySet<string>>(
  Object.values(SMSC_METHODS).map((meta) => [meta.name, new Set<string>(meta.parameters)]),
);

/** Does `method` take the parameter `name` at all (catalog `methods` of the field or option)? */
function accepts(method: SmscMethod, name: string): boolean {
  return METHOD_PARAMETERS.get(method)?.has(name) === true;
}

/** What the rules below look up per field on every request, worked out once from the catalog. */
const CREDENTIAL_NAMES = new Set<string>([
  "query",
  ...Object.entries(PARAMETERS)
    .filter(([, meta]) => meta?.credential === true)
    .map(([name]) => name),
]);
const REPLACES = new Map<string, readonly string[]>(
  Object.entries(PARAMETERS).flatMap(([name, meta]) =>
    meta?.replaces !== undefined && meta.replaces.length > 0 ? [[name, meta.replaces] as const] : [],
  ),
);
const REQUIRES = new Map<string, readonly string[]>(
  Object.entries(PARAMETERS).flatMap(([name, meta]) =>
    meta !== undefined && meta.requires.length > 0 ? [[name, meta.requires] as const] : [],
  ),
);

export type ValidatedRequest = Record<string, unknown>;

export type ValidationResult =
  /** `ignored`: bad values SMSC would replace rather than refuse (only in `lenient` mode). */
  | { ok: true; value: ValidatedRequest; ignored: readonly ValidationIssue[] }
  | { ok: false; error: SmscValidationError };

export interface ValidateOptions extends PhoneOptions {
  /**
   * Judge as SMSC does: a bad value of an option whose catalog `onInvalid` is not `error` (e.g. `param`,
   * where SMSC falls back to its defaults) is not refused; it is dropped from `value` and reported in
   * `ignored`. For the simulator. The default (strict) refuses every bad value, which is what a client
   * wants: a silently replaced option is a bug the caller should hear about.
   */
  lenient?: boolean;
}

/** Does SMSC carry on (default, clamp, ignore) rather than refuse a bad value of this parameter? */
function smscTolerates(field: string): boolean {
  const onInvalid = PARAMETERS[field]?.onInvalid;
  return onInvalid !== undefined && onInvalid !== "error";
}

function isCredential(name: string): boolean {
  return CREDENTIAL_NAMES.has(name);
}

function fieldOf(zodIssue: z.core.$ZodIssue): string {
  if (zodIssue.code === "unrecognized_keys") return zodIssue.keys[0] ?? "request";
  const head = zodIssue.path[0];
  return head === undefined ? "request" : String(head);
}

function schemaIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((zodIssue) => {
    const field = fieldOf(zodIssue);
    if (zodIssue.code === "unrecognized_keys") {
      return issue(field, "unknown_option", `${field}: is not an option of this method`);
    }
    const message = zodIssue.message.startsWith(`${field}:`)
      ? zodIssue.message
      : `${field}: ${zodIssue.message}`;
    return issue(field, zodIssue.code, message);
  });
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function ignoresMes(kinds: readonly string[]): boolean {
  return kinds.some((kind) => MESSAGE_KINDS[kind as keyof typeof MESSAGE_KINDS].ignoresMes);
}

/**
 * Parameters the request need not carry, by the catalog: those an option that is set `replaces`
 * (`list` carries phones and texts), and `mes` when the message kind ignores it (hlr, ping). The WSDL
 * still makes `phones` and `mes` mandatory elements; the client then writes them empty.
 */
/** What most requests waive: nothing (shared, never changed). */
const NOTHING_WAIVED: ReadonlySet<string> = new Set();

function waivedParameters(
  fields: Readonly<Record<string, unknown>>,
  kinds: readonly string[],
): ReadonlySet<string> {
  let waived: Set<string> | undefined;
  for (const name of Object.keys(fields)) {
    const replaces = REPLACES.get(name);
    if (replaces === undefined || !isSet(fields[name])) continue;
    waived ??= new Set();
    for (const replaced of replaces) waived.add(replaced);
  }
  if (kinds.length > 0 && ignoresMes(kinds)) {
    waived ??= new Set();
    waived.add("mes");
  }
  return waived ?? NOTHING_WAIVED;
}

function crossFieldIssues(
  method: SmscMethod,
  fields: Readonly<Record<string, unknown>>,
  waived: ReadonlySet<string>,
  kinds: readonly string[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // A conflict needs two kinds at least.
  for (const conflict of kinds.length > 1 ? KIND_CONFLICTS : []) {
    const clashing = kinds.filter((kind) => (conflict.kinds as readonly string[]).includes(kind));
    if (conflict.rule === "at-most-one" && clashing.length > 1) {
      const field = MESSAGE_KINDS[clashing[1] as keyof typeof MESSAGE_KINDS].option;
      issues.push({
        field,
        rule: conflict.id,
        message: `${clashing.join(" and ")} exclude each other: ${conflict.description}`,
        smscError: conflict.smscError,
      });
    }
  }
  // Message rules apply to the methods that carry a message (catalog: those accepting `mes`).
  if (accepts(method, "mes")) {
    if (!waived.has("mes") && !isSet(fields["mes"])) {
      issues.push(
        issue(
          "mes",
          "required",
          "mes: the message text is required (unless the kind ignores it or list carries it)",
        ),
      );
    }

    for (const kind of kinds) {
      const meta = MESSAGE_KINDS[kind as keyof typeof MESSAGE_KINDS];
      if (meta.needsSubj && !isSet(fields["subj"])) {
        issues.push(issue("subj", `required-for-${kind}`, `subj: a ${kind} message needs a subject`));
      }
    }
  }
  for (const name of Object.keys(fields)) {
    const requires = REQUIRES.get(name);
    if (requires === undefined || !isSet(fields[name])) continue;
    for (const required of requires) {
      if (!isSet(fields[required])) {
        issues.push(issue(name, `requires-${required}`, `${name}: only valid together with ${required}`));
      }
    }
  }
  return issues;
}

/** The schema checks the shape of the four `time` formats; this checks that the date exists (no 31.02). */
function timeIssues(fields: Readonly<Record<string, unknown>>): ValidationIssue[] {
  if (!isSet(fields["time"])) return [];
  try {
    parseSendTime(String(fields["time"]), { tz: isSet(fields["tz"]) ? String(fields["tz"]) : undefined });
    return [];
  } catch (error) {
    if (!(error instanceof SmscValidationError)) throw error;
    return [...error.issues];
  }
}

/**
 * The catalog's pattern admits anything of digits and punctuation; a number no numbering plan allows
 * (`+7 12`) cannot be a subscriber, and SMSC answers it with the `phones` error code (7).
 */
function subscriberIssues(
  fields: Readonly<Record<string, unknown>>,
  options: PhoneOptions,
): ValidationIssue[] {
  if (!isSet(fields["phones"])) return [];
  return impossiblePhones(String(fields["phones"]), options).map((phone) =>
    issue(
      "phones",
      "subscriber_number",
      `phones: "${phone}" cannot be a subscriber's number (no numbering plan has it)`,
    ),
  );
}

function xmlIssues(fields: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (typeof value === "string" && hasCharForbiddenInXml(value)) {
      issues.push(
        issue(name, "xml_char", `${name}: contains a control character that SOAP (XML 1.0) cannot carry`),
      );
    }
  }
  return issues;
}

/**
 * Judge a request of `method`. Credentials (`login`, `psw`, `apikey`) and `query` may be present
 * (the simulator passes what it received); they are left to the account lookup and never echoed.
 */
export function validateRequest(
  method: SmscMethod,
  fields: Readonly<Record<string, unknown>>,
  validateOptions: ValidateOptions = {},
): ValidationResult {
  const options: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    // Credentials are the account lookup's business (SMSC answers error 2), not validation's.
    if (isCredential(name)) continue;
    // Request-shaped input (booleans for switches, recipient arrays, `list` lines) is judged in the wire
    // form the client would send, so adapters may validate what they will later pass to `send`.
    try {
      options[name] = wireValue(name, value);
    } catch (error) {
      if (!(error instanceof SmscValidationError)) throw error;
      issues.push(...error.issues);
    }
  }
  // Kinds are read from the raw options: the schema only normalises their values' types.
  const kinds = activeKinds(options);
  const waived = waivedParameters(options, kinds);
  // An empty phones/mes that something else stands in for carries nothing: drop it, not refuse it.
  if (waived.size > 0) for (const name of waived) if (options[name] === "") delete options[name];
  const schema = schemaFor(method, waived, Object.keys(options));
  const ignored: ValidationIssue[] = [];
  let value: ValidatedRequest = {};
  let parsed = schema.safeParse(options);
  if (!parsed.success && validateOptions.lenient === true) {
    const tolerated = schemaIssues(parsed.error).filter((found) => smscTolerates(found.field));
    if (tolerated.length > 0) {
      ignored.push(...tolerated);
      for (const found of tolerated) delete options[found.field];
      parsed = schema.safeParse(options);
    }
  }
  if (parsed.success) value = parsed.data as ValidatedRequest;
  else issues.push(...schemaIssues(parsed.error));
  if (!issues.some((found) => found.field === "phones"))
    issues.push(...subscriberIssues(options, validateOptions));
  if (!issues.some((found) => found.field === "time" || found.field === "tz"))
    issues.push(...timeIssues(options));
  // Lines are judged once the list has the right shape (else the schema has already said so).
  if (accepts(method, "list") && isSet(options["list"]) && !issues.some((f) => f.field === "list")) {
    const nl = isSet(options["nl"]) ? String(options["nl"]) : undefined;
    issues.push(
      ...listIssues(String(options["list"]), {
        nl,
        textRequired: !ignoresMes(kinds),
        phoneOptions: validateOptions,
      }),
    );
  }
  issues.push(...crossFieldIssues(method, options, waived, kinds), ...xmlIssues(options));
  const [first, ...rest] = issues;
  if (first !== undefined) return { ok: false, error: new SmscValidationError([first, ...rest]) };
  return { ok: true, value, ignored };
}
