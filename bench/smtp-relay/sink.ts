import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

/**
 * The second reference: a bare smtp-server that only drains DATA and answers 250, with
 * the same AUTH setup as the relay. It shows what the SMTP layer alone costs on this
 * machine. smtp-server is resolved through the relay package, which depends on it, so
 * the bench adds no dependency of its own.
 */
export async function startSink(): Promise<{ port: number; close(): Promise<void> }> {
  const relayRequire = createRequire(new URL("../../packages/smtp-relay/package.json", import.meta.url));
  const { SMTPServer } = (await import(
    pathToFileURL(relayRequire.resolve("smtp-server")).href
  )) as typeof import("smtp-server");
  const server = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    size: 256 * 1024,
    onAuth(auth, _session, callback) {
      if (auth.username === "bench" && auth.password === "bench-pass") callback(null, { user: "bench" });
      else callback(new Error("Authentication credentials invalid"));
    },
    onData(stream, _session, callback) {
      stream.on("end", () => callback(null, "queued"));
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
