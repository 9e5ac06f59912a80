/**
 * An SMTP refusal. smtp-server answers an error passed to a hook callback with
 * `responseCode` and `message`; the enhanced status code is written into the text
 * by us because the server can only derive one per reply code, and "relay denied"
 * (5.7.1) and "bad mailbox" (5.1.1) share 550.
 */
export class SmtpReplyError extends Error {
  readonly responseCode: number;
  readonly enhancedCode: string;
  readonly detail: string;

  constructor(responseCode: number, enhancedCode: string, detail: string) {
    super(`${enhancedCode} ${detail}`);
    this.name = "SmtpReplyError";
    this.responseCode = responseCode;
    this.enhancedCode = enhancedCode;
    this.detail = detail;
  }
}

export const reply = {
  badMailbox: (detail: string) => new SmtpReplyError(550, "5.1.1", detail),
  relayDenied: (domain: string) =>
    new SmtpReplyError(550, "5.7.1", `Relay denied: this relay does not accept mail for domain ${domain}`),
  senderRefused: (detail: string) => new SmtpReplyError(553, "5.7.1", detail),
  tooManyParts: (parts: number, maxParts: number) =>
    new SmtpReplyError(552, "5.3.4", `Message too long for SMS: ${parts} parts, the limit is ${maxParts}`),
  tooBig: (maxBytes: number) =>
    new SmtpReplyError(
      552,
      "5.3.4",
      `Message exceeds the size limit of ${maxBytes} bytes; nothing was queued`,
    ),
  contentRefused: (detail: string) => new SmtpReplyError(554, "5.6.0", detail),
  tryLater: (detail: string) => new SmtpReplyError(451, "4.3.0", detail),
} as const;
