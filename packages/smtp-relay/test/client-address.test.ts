/**
 * Per-address limits count clients, not addresses: an IPv6 client owns a /64, so guessing from a fresh
 * address of the same /64 must not start from zero. Loopback has no second IPv6 network, so the hook is
 * driven here with the sessions smtp-server would hand it.
 */
import { Registry } from "prom-client";
import type { SMTPServerSession } from "smtp-server";
import { describe, expect, it } from "vitest";
import { createAuthGuard } from "../src/auth-guard.js";
import { createAuthHook } from "../src/auth-hook.js";
import { clientKey } from "../src/client-address.js";
import { createRelayMetrics } from "../src/metrics.js";
import { createQuotaTracker } from "../src/quota.js";
import { SmtpReplyError } from "../src/smtp-error.js";

describe("clientKey", () => {
  it.each([
    ["192.0.2.7", "192.0.2.7"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    ["::FFFF:127.0.0.2", "127.0.0.2"],
    ["2001:db8:1:2::a", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff:0:0:1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["64:ff9b::192.0.2.7", "64:ff9b:0:0::/64"],
  ])("%s counts as %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe("AUTH failures from one IPv6 /64", () => {
  it("lock the whole /64 out, not only the address that guessed", async () => {
    const limits = {
      maxAuthFailuresPerAddress: 3,
      maxAuthFailuresPerUser: 100,
      authFailureWindowMs: 60_000,
      authLockoutMs: 60_000,
      authFailureDelayMs: 1,
      maxAuthFailuresPerConnection: 100,
    };
    const hook = createAuthHook({
      authenticate: (username, password) => (password === "right-password" ? { username } : null),
      guard: createAuthGuard(limits, Date.now),
      limits,
      metrics: createRelayMetrics(
        new Registry(),
        createQuotaTracker({ relayWide: undefined, perUser: {}, now: Date.now }),
      ),
      onAuthenticated: () => {},
    });
    const attempt = (remoteAddress: string, username: string, password: string) =>
      new Promise<Error | null | undefined>((resolve) => {
        const session = { id: `${remoteAddress}-${Math.random()}`, remoteAddress } as SMTPServerSession;
        hook.onAuth({ method: "PLAIN", username, password } as never, session, (error) => resolve(error));
      });
    // Each guess from a new address of 2001:db8:1:2::/64, as a rotating attacker would.
    for (const host of ["a", "b", "c"]) {
      const answer = await attempt(`2001:db8:1:2::${host}`, `user-${host}`, "guess");
      expect(answer).toBeInstanceOf(SmtpReplyError);
      expect((answer as SmtpReplyError).responseCode).toBe(535);
    }
    const locked = await attempt("2001:db8:1:2::d", "user-d", "right-password");
    expect(locked).toMatchObject({ responseCode: 454, enhancedCode: "4.7.0" });
    // Another /64 is another client.
    expect(await attempt("2001:db8:1:3::a", "user-e", "right-password")).toBeNull();
  });
});
