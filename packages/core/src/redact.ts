/**
 * Secret scrubbing. The client knows its secrets (psw, apikey); every string that leaves it in an error or
 * a log line goes through a Redactor so that no form of a secret survives: raw, XML-escaped,
 * URL-encoded (both `%20` and `+` styles) and percent-encoded UTF-8.
 */
export const REDACTED = "[REDACTED]";

export interface Redactor {
  /** Replace every known form of every secret in `text`. */
  text(text: string): string;
}

function xmlEscapedForms(secret: string): string[] {
  const escaped = secret
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
  return [escaped];
}

function urlEncodedForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [component, form];
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // Very short secrets would redact half of every message; they are still redacted, because a
    // leaked one-character password is a leak too, but only as whole forms.
    if (secret.length === 0) continue;
    forms.add(secret);
    for (const form of xmlEscapedForms(secret)) forms.add(form);
    for (const form of urlEncodedForms(secret)) forms.add(form);
  }
  // Longest first so that a form containing another form is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return {
    text(text: string): string {
      let out = text;
      for (const form of ordered) out = out.split(form).join(REDACTED);
      return out;
    },
  };
}

export const NO_SECRETS: Redactor = { text: (text) => text };

/**
 * A plain, detached copy of an error chain with every message redacted. Original errors may hold
 * request bodies, sockets or headers; the copy keeps only name, code, message and the (copied) cause.
 */
export function redactedCause(error: unknown, redactor: Redactor, depth = 0): Error | undefined {
  if (error === undefined || error === null || depth > 8) return undefined;
  if (!(error instanceof Error)) {
    return new Error(redactor.text(typeof error === "string" ? error : "non-error value thrown"));
  }
  const copy = new Error(redactor.text(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") {
    Object.defineProperty(copy, "code", { value: code, enumerable: true });
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  const inner = redactedCause(error.cause, redactor, depth + 1);
  if (inner !== undefined) copy.cause = inner;
  return copy;
}
