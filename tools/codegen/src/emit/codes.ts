import { ERROR_CLASS_NAMES } from "../catalog-schema.js";
import type { Model } from "../model.js";
import { dataLiteral, docComment, HEADER } from "./literal.js";

export function emitCodes(model: Model): string {
  const errorCodes = Object.fromEntries(
    model.methods.map(({ name: method }) => [
      method,
      Object.fromEntries(
        [...(model.errors[method] ?? [])]
          .sort((a, b) => a.code - b.code)
          .map((e) => [
            String(e.code),
            {
              code: e.code,
              text: e.text,
              ...(e.textRu !== undefined ? { textRu: e.textRu } : {}),
              class: e.class,
              confidence: e.confidence,
            },
          ]),
      ),
    ]),
  );
  const statuses = Object.fromEntries(
    model.statuses.map((s) => [
      String(s.code),
      {
        code: s.code,
        name: s.name,
        nameRu: s.nameRu,
        description: s.description,
        final: s.final,
        kind: s.kind,
        confidence: s.confidence,
      },
    ]),
  );
  const transitions = Object.fromEntries(
    model.statusTransitions.map((t) => [String(t.from), [...t.to].sort((a, b) => a - b)]),
  );
  const deliveryErrors = Object.fromEntries(
    model.deliveryErrors.map((d) => [
      String(d.code),
      { code: d.code, name: d.name, nameRu: d.nameRu, description: d.description },
    ]),
  );
  const rateRules = model.rateRules.map((r) => ({
    id: r.id,
    method: r.method,
    measure: r.measure,
    limit: r.limit,
    windowSeconds: r.windowSeconds,
    scope: r.scope,
    outcome: "error" in r.outcome ? { error: r.outcome.error } : { status: r.outcome.status },
    blockSeconds: r.blockSeconds ?? null,
    exemptAllowedIps: r.exemptAllowedIps ?? false,
    description: r.description.en,
    confidence: r.confidence,
  }));
  const requestLimits = model.requestLimits.map((l) => ({
    id: l.id,
    method: l.method,
    measure: l.measure,
    limit: l.limit,
    description: l.description.en,
    confidence: l.confidence,
  }));

  return `${HEADER}

${docComment("What a caller should do about an SMSC error code.")}export const ERROR_CLASSES = ${dataLiteral([...ERROR_CLASS_NAMES])} as const;

export type ErrorClass = (typeof ERROR_CLASSES)[number];

${docComment("Request error codes per method (the `error` field of every result).")}export const ERROR_CODES = ${dataLiteral(errorCodes)} as const;

export type ErrorMethod = keyof typeof ERROR_CODES;

${docComment("Message status codes (the `status` field): final = no later report may replace it except along STATUS_TRANSITIONS.")}export const STATUS_CODES = ${dataLiteral(statuses)} as const;

${docComment("Allowed forward moves of the monotonic status machine: from status → the statuses it may become.")}export const STATUS_TRANSITIONS = ${dataLiteral(transitions)} as const;

${docComment("Delivery error codes (the `err` field of status answers and callbacks).")}export const DELIVERY_ERRORS = ${dataLiteral(deliveryErrors)} as const;

${docComment("Rate and abuse rules: limit = the most allowed within windowSeconds (null = concurrency or unpublished).")}export const RATE_RULES = ${dataLiteral(rateRules)} as const;

${docComment("The most one request may carry (recipients, list lines, bytes); confidence says how sure we are.")}export const REQUEST_LIMITS = ${dataLiteral(requestLimits)} as const;
`;
}
