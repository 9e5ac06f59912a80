import { RelayConfigError } from "@smsc-kit/smtp-relay";
import { ConfigError } from "../config/errors.js";
import type { SmtpConfig } from "./relay-options.js";

/**
 * A relay configuration error as a gateway ConfigError with the YAML path (`smtp.…`); the relay names users
 * by username, the YAML lists them, so `users.<name>` becomes `smtp.users.<index>`. Other errors pass through.
 */
export function asConfigError(error: unknown, smtp: SmtpConfig): unknown {
  if (!(error instanceof RelayConfigError)) return error;
  return new ConfigError([
    { path: yamlPathOf(error.field, smtp), rule: `${error.rule}: ${detailOf(error)}` },
  ]);
}

function yamlPathOf(field: string, smtp: SmtpConfig): string {
  // Usernames may contain dots ("a" and "a.b"), so the longest username the field starts with is the one.
  let best: { index: number; username: string } | undefined;
  smtp.users.forEach(({ username }, index) => {
    const named = field === `users.${username}` || field.startsWith(`users.${username}.`);
    if (named && username.length > (best?.username.length ?? -1)) best = { index, username };
  });
  if (best) return `smtp.users.${best.index}${field.slice(`users.${best.username}`.length)}`;
  return `smtp.${field}`;
}

function detailOf(error: RelayConfigError): string {
  // The relay's message is "Invalid relay option <field>: <detail>"; the path is printed separately.
  const prefix = `Invalid relay option ${error.field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
