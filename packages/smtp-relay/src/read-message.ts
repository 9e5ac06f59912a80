import type { SMTPServerDataStream } from "smtp-server";

export type ReadMessageResult = { ok: true; raw: Buffer } | { ok: false; reason: "too-big" | "aborted" };

/**
 * Collects the DATA stream, but stops keeping bytes once smtp-server marks it oversized
 * (`sizeExceeded` is updated while the message arrives, smtp-server#262), so a huge
 * message costs no memory beyond the limit. The rest is drained, not kept: the client
 * is still sending and must reach the final "." to read our 552.
 */
export function readMessage(stream: SMTPServerDataStream): Promise<ReadMessageResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let oversized = false;
    stream.on("data", (chunk: Buffer) => {
      if (oversized) return;
      if (stream.sizeExceeded) {
        oversized = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    stream.once("end", () => {
      if (oversized || stream.sizeExceeded) resolve({ ok: false, reason: "too-big" });
      else resolve({ ok: true, raw: Buffer.concat(chunks) });
    });
    stream.once("error", () => resolve({ ok: false, reason: "aborted" }));
    stream.once("close", () => {
      if (!stream.readableEnded) resolve({ ok: false, reason: "aborted" });
    });
  });
}
