import { readFileSync } from "node:fs";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { type BodyPolicy, DEFAULT_BODY_POLICY, extractSmsText } from "../src/mail-text.js";

const CYRILLIC_TEXT = "Привет! Сервер БД недоступен с 03:15, дежурный, проверьте.";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

async function smsText(name: string, policy: Partial<BodyPolicy> = {}) {
  const email = await PostalMime.parse(fixture(name));
  return extractSmsText(email, { ...DEFAULT_BODY_POLICY, ...policy });
}

describe("extractSmsText", () => {
  it.each(["koi8-r.eml", "windows-1251.eml", "utf-8-qp.eml"])(
    "decodes the %s body to the same text",
    async (name) => {
      expect(await smsText(name)).toEqual({ ok: true, text: CYRILLIC_TEXT });
    },
  );

  it("prepends the decoded subject when configured", async () => {
    expect(await smsText("koi8-r.eml", { subject: "prepend" })).toEqual({
      ok: true,
      text: `Авария\n${CYRILLIC_TEXT}`,
    });
  });

  it("converts HTML-only mail to text keeping link targets, without images", async () => {
    const result = await smsText("html-only.eml");
    expect(result).toEqual({
      ok: true,
      text: "Disk /var is 95% full on db-1.\n\nSee dashboard https://grafana.example.org/d/1",
    });
  });

  it("writes a link whose text is its URL once", () => {
    const email = {
      html: '<p>Open <a href="https://x.example/a">https://x.example/a</a></p>',
      attachments: [],
    };
    expect(extractSmsText(email as never, DEFAULT_BODY_POLICY)).toEqual({
      ok: true,
      text: "Open https://x.example/a",
    });
  });

  it.each([
    [
      "a relative link keeps only its text",
      '<p>See <a href="/orders/1">your order</a></p>',
      "See your order",
    ],
    [
      "a javascript: link keeps only its text",
      '<a href="javascript:void(0)">Unsubscribe</a> now',
      "Unsubscribe now",
    ],
    ["an in-page anchor keeps only its text", '<a href="#top">Back</a>', "Back"],
    [
      "mailto: shows the address",
      '<a href="mailto:help@shop.example">write to us</a>',
      "write to us help@shop.example",
    ],
    [
      "mailto: whose text is the address, once",
      '<a href="mailto:help@shop.example">help@shop.example</a>',
      "help@shop.example",
    ],
    ["tel: shows the number", '<a href="tel:+79991234567">call</a>', "call +79991234567"],
    [
      "tel: whose text is the number, once",
      '<a href="tel:+79991234567">+7 (999) 123-45-67</a>',
      "+7 (999) 123-45-67",
    ],
    [
      "URL text without the scheme, once",
      '<a href="https://shop.example/o/1">shop.example/o/1</a>',
      "shop.example/o/1",
    ],
    [
      "URL text without the trailing slash, once",
      '<a href="https://Shop.example/">https://shop.example</a>',
      "https://shop.example",
    ],
    [
      "mailto: with a subject shows the address alone",
      '<a href="mailto:help%40shop.example?subject=Order%201">write to us</a>',
      "write to us help@shop.example",
    ],
    ["mailto: without an address keeps only its text", '<a href="mailto:?subject=Hi">share</a>', "share"],
    [
      "link text that contains the URL, once",
      '<a href="https://x.example/a">Open https://x.example/a now</a>',
      "Open https://x.example/a now",
    ],
    [
      "a protocol-relative link gets https",
      '<a href="//cdn.example/f">file</a>',
      "file https://cdn.example/f",
    ],
    [
      "nested tags inside a link",
      '<a href="https://x.example/a?b=1&amp;c=2"><b>bold <i>nested</i></b> link</a>',
      "bold nested link https://x.example/a?b=1&c=2",
    ],
    [
      "a link around an image is its URL",
      '<a href="https://x.example/"><img src="x.png" alt="logo"></a>',
      "https://x.example/",
    ],
    [
      "table cells stay apart, a row per line",
      "<table><tr><td>Code</td><td>1234</td></tr><tr><th>Valid</th><td>5 min</td></tr></table>",
      "Code 1234\nValid 5 min",
    ],
  ])("HTML: %s", (_name, html, text) => {
    const email = { html, attachments: [] };
    expect(extractSmsText(email as never, DEFAULT_BODY_POLICY)).toEqual({ ok: true, text });
  });

  it("refuses 8-bit text that is not in its declared charset rather than sending mojibake", async () => {
    const undeclared = Buffer.concat([
      Buffer.from("From: a@example.org\r\nContent-Type: text/plain\r\n\r\n"),
      Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), // "Привет" in windows-1251, no charset said
      Buffer.from("\r\n"),
    ]);
    const result = extractSmsText(await PostalMime.parse(undeclared), DEFAULT_BODY_POLICY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.responseCode).toBe(554);
      expect(result.error.message).toMatch(/^5\.6\.0 The text is not in the charset the message declares/);
    }
  });

  it.each([
    ["unknown-8bit", /charset "unknown-8bit" is unknown/],
    ["win-1251", /charset "win-1251" is unknown/],
    ["us-ascii", /8-bit characters but declares charset "us-ascii"/],
  ])(
    "refuses windows-1251 bytes labelled charset=%s rather than sending them as windows-1252",
    async (charset, why) => {
      const raw = Buffer.concat([
        Buffer.from(`From: a@example.org\r\nContent-Type: text/plain; charset=${charset}\r\n\r\n`),
        Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0d, 0x0a]), // "Привет" in windows-1251
      ]);
      const result = extractSmsText(await PostalMime.parse(raw), DEFAULT_BODY_POLICY);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(why);
    },
  );

  it("takes plain ASCII labelled us-ascii", async () => {
    const email = await PostalMime.parse("Content-Type: text/plain; charset=US-ASCII\r\n\r\nDisk full\r\n");
    expect(extractSmsText(email, DEFAULT_BODY_POLICY)).toEqual({ ok: true, text: "Disk full" });
  });

  it("strips the quoted reply and the signature by default", async () => {
    expect(await smsText("reply-with-signature.eml")).toEqual({ ok: true, text: "Ack, restarting now." });
  });

  it("keeps quotes and signature when stripping is switched off", async () => {
    const result = await smsText("reply-with-signature.eml", {
      stripQuotedReplies: false,
      stripSignature: false,
    });
    expect(result.ok && result.text).toContain("> Disk full on db-1");
    expect(result.ok && result.text).toContain("Ivan Petrov");
  });

  it("uses the text of a message whose closing boundary is missing", async () => {
    const result = await smsText("missing-boundary.eml");
    expect(result).toEqual({ ok: true, text: "Backup failed on db-2" });
  });

  it("ignores attachments by default and refuses them when configured", async () => {
    expect(await smsText("with-attachment.eml")).toEqual({ ok: true, text: "Nightly report attached" });
    const refused = await smsText("with-attachment.eml", { attachments: "refuse" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.responseCode).toBe(554);
      expect(refused.error.message).toMatch(/^5\.6\.0 Attachments are not accepted/);
    }
  });

  it("refuses HTML over the conversion bound instead of stalling the event loop", async () => {
    const html = `<p>${"alert ".repeat(40)}</p>`;
    const email = await PostalMime.parse(`Content-Type: text/html\r\n\r\n${html}`);
    const result = extractSmsText(email, { ...DEFAULT_BODY_POLICY, maxHtmlChars: 100 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.responseCode).toBe(554);
      expect(result.error.message).toMatch(/too large to convert \(\d+ characters, the limit is 100\)/);
    }
    expect(extractSmsText(email, DEFAULT_BODY_POLICY)).toMatchObject({ ok: true });
  });

  it("survives HTML nested 5000 levels deep (html-to-text would overflow the stack)", async () => {
    const html = `${"<div>".repeat(5_000)}deep${"</div>".repeat(5_000)}<p>shallow</p>`;
    const email = await PostalMime.parse(`Content-Type: text/html\r\n\r\n${html}`);
    expect(extractSmsText(email, DEFAULT_BODY_POLICY)).toEqual({ ok: true, text: "shallow" });
  });

  it("refuses a mail with no text at all", async () => {
    const email = await PostalMime.parse("Subject: only a subject\r\n\r\n   \r\n");
    const result = extractSmsText(email, DEFAULT_BODY_POLICY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("no text");
  });
});
