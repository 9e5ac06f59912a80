import { readFile } from "node:fs/promises";
import type { RelayOptions } from "@smsc-kit/smtp-relay";
import type { GatewayConfig } from "../config/schema.js";

export type SmtpConfig = GatewayConfig["smtp"];

/**
 * The relay's options from the gateway's `smtp` section. Keys carry the relay's own names, so this is a
 * translation of shape (users list → map, PEM file paths → contents), not a second set of rules: the relay
 * validates what it is given and `asConfigError` (relay-config-error.ts) points its complaints back at the YAML.
 */
export async function relayOptionsOf(smtp: SmtpConfig): Promise<Omit<RelayOptions, "outbox" | "logger">> {
  return {
    host: smtp.host,
    port: smtp.port,
    users: Object.fromEntries(
      smtp.users.map((u) => [
        u.username,
        {
          password: u.password,
          ...(u.sender !== undefined ? { sender: u.sender } : {}),
          ...(u.senders !== undefined ? { senders: u.senders } : {}),
          ...(u.allowedFrom !== undefined ? { allowedFrom: u.allowedFrom } : {}),
          ...(u.quota !== undefined ? { quota: definedOnly(u.quota) } : {}),
        },
      ]),
    ),
    domains: smtp.domains,
    ...(smtp.addressBook ? { addressBook: smtp.addressBook } : {}),
    ...(smtp.phoneRegion !== undefined ? { phoneRegion: smtp.phoneRegion } : {}),
    ...(smtp.senders ? { senders: smtp.senders } : {}),
    ...(smtp.defaultSender !== undefined ? { defaultSender: smtp.defaultSender } : {}),
    translit: smtp.translit,
    allowInsecureAuth: smtp.allowInsecureAuth,
    ...(smtp.limits ? { limits: definedOnly(smtp.limits) } : {}),
    ...(smtp.quota ? { quota: definedOnly(smtp.quota) } : {}),
    ...(smtp.body ? { body: definedOnly(smtp.body) } : {}),
    ...(smtp.overflow !== undefined ? { overflow: smtp.overflow } : {}),
    ...(smtp.dsn
      ? {
          dsn: {
            transport: {
              host: smtp.dsn.transport.host,
              port: smtp.dsn.transport.port,
              secure: smtp.dsn.transport.secure,
              ...(smtp.dsn.transport.auth ? { auth: { ...smtp.dsn.transport.auth } } : {}),
            },
            from: smtp.dsn.from,
            ...(smtp.dsn.reportingMta !== undefined ? { reportingMta: smtp.dsn.reportingMta } : {}),
          },
        }
      : {}),
    ...(smtp.tls
      ? {
          tls: {
            cert: await readFile(smtp.tls.certFile),
            key: await readFile(smtp.tls.keyFile),
            implicit: smtp.tls.implicit,
          },
        }
      : {}),
  };
}

/** zod leaves absent optional keys out, but strict optional types still want them gone explicitly. */
function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
