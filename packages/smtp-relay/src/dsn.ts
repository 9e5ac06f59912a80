import { createTransport } from "nodemailer";
import MimeNode from "nodemailer/lib/mime-node";
import type { RelayDsnConfig, RelayLogger } from "./options.js";
import type { RelayDeadEvent } from "./outbox-port.js";

/** The outbox side the notifier listens to (`outbox.on("dead", …)`). */
export interface DeadLetterSource {
  on(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
  off?(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
}

export interface DeadLetterReport {
  envelopeFrom: string;
  recipients: string[];
  phone: string;
  messageId?: string;
  subject?: string;
  receivedAt?: string;
  diagnostic: string;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Reads the relay's own meta back out of a dead-letter event; other producers' rows are ignored. */
export function reportFromDeadEvent(event: RelayDeadEvent): DeadLetterReport | null {
  const meta = event.meta;
  if (meta?.["source"] !== "smtp-relay") return null; // rows other producers queued
  // Only to the address the relay judged the user's own when it accepted the mail (`dsnTo`): MAIL FROM
  // alone is a claim, and a bounce to it would let any user mail whoever they like. The null sender
  // never gets one (RFC 5321 §4.5.5), nor does a row without `dsnTo`.
  const envelopeFrom = typeof meta["dsnTo"] === "string" ? meta["dsnTo"] : "";
  if (!envelopeFrom) return null;
  const str = (key: string) => (typeof meta[key] === "string" ? (meta[key] as string) : undefined);
  const messageId = str("messageId");
  const subject = str("subject");
  const receivedAt = str("receivedAt");
  return {
    envelopeFrom,
    recipients: stringArray(meta["recipients"]),
    phone: str("phone") ?? "",
    ...(messageId ? { messageId } : {}),
    ...(subject ? { subject } : {}),
    ...(receivedAt ? { receivedAt } : {}),
    diagnostic:
      event.error.code === null
        ? event.error.message
        : `SMSC error ${event.error.code}: ${event.error.message}`,
  };
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

/**
 * Builds an RFC 3464 delivery status notification: multipart/report with a human
 * readable part, a message/delivery-status part (one block per failed recipient) and
 * the original headers we still know (text/rfc822-headers).
 */
export async function buildDsn(
  report: DeadLetterReport,
  from: string,
  reportingMta: string,
): Promise<Buffer> {
  const root = new MimeNode("multipart/report; report-type=delivery-status");
  root.setHeader({
    From: `Mail Delivery System <${from}>`,
    To: report.envelopeFrom,
    Subject: "Undelivered SMS: returned to sender",
    "Auto-Submitted": "auto-replied",
    ...(report.messageId ? { "In-Reply-To": report.messageId, References: report.messageId } : {}),
  });
  const recipients = report.recipients.length > 0 ? report.recipients : [report.phone];
  root
    .createChild("text/plain; charset=utf-8")
    .setContent(
      `Your message could not be delivered as SMS to ${recipients.join(", ")} (phone ${report.phone}).\n\n` +
        `Reason: ${oneLine(report.diagnostic)}\n\nThe SMS was not sent and will not be retried automatically.\n`,
    );
  const perMessage = [`Reporting-MTA: dns; ${reportingMta}`];
  if (report.receivedAt) perMessage.push(`Arrival-Date: ${new Date(report.receivedAt).toUTCString()}`);
  const perRecipient = recipients.map((recipient) =>
    [
      `Final-Recipient: rfc822; ${recipient}`,
      "Action: failed",
      "Status: 5.0.0",
      `Diagnostic-Code: X-SMSC; ${oneLine(report.diagnostic)}`,
    ].join("\r\n"),
  );
  root
    .createChild("message/delivery-status")
    .setContent([perMessage.join("\r\n"), ...perRecipient].join("\r\n\r\n") + "\r\n");
  const original = [`From: ${report.envelopeFrom}`];
  if (report.messageId) original.push(`Message-ID: ${report.messageId}`);
  if (report.subject) original.push(`Subject: ${oneLine(report.subject)}`);
  root.createChild("text/rfc822-headers").setContent(original.join("\r\n") + "\r\n");
  return root.build();
}

/**
 * Sends a DSN to the envelope sender through the configured smarthost whenever a row the
 * relay queued dead-letters. Sending is best effort: a smarthost failure is logged, never
 * thrown into the outbox's event loop.
 */
export function createDsnNotifier(
  config: RelayDsnConfig,
  source: DeadLetterSource,
  defaultMta: string,
  logger?: RelayLogger,
) {
  const transporter = createTransport(config.transport);
  const pending = new Set<Promise<void>>();
  const listener = (event: RelayDeadEvent) => {
    const report = reportFromDeadEvent(event);
    if (!report) return;
    const job = buildDsn(report, config.from, config.reportingMta ?? defaultMta)
      .then((raw) => transporter.sendMail({ envelope: { from: "", to: [report.envelopeFrom] }, raw }))
      .then(
        () => logger?.info({ to: report.envelopeFrom, phone: report.phone }, "DSN sent"),
        (error: unknown) =>
          logger?.error({ err: (error as Error).message, to: report.envelopeFrom }, "DSN could not be sent"),
      )
      .finally(() => pending.delete(job));
    pending.add(job);
  };
  source.on("dead", listener);
  return {
    stop() {
      source.off?.("dead", listener);
    },
    async drain() {
      await Promise.all(pending);
      transporter.close();
    },
  };
}
