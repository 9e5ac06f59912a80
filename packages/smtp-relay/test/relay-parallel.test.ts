import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOMAIN, type Stack, startStack } from "./helpers/stack.js";

const SESSIONS = 100;

describe("100 parallel SMTP sessions", () => {
  let stack: Stack;
  beforeAll(async () => {
    // Every session comes from 127.0.0.1: the per-address cap is for abuse, not for this.
    stack = await startStack({ relay: { limits: { maxClientsPerAddress: SESSIONS } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("each gets its own 250 with its own outbox id, and every SMS reaches the simulator once", async () => {
    const phones = Array.from({ length: SESSIONS }, (_, i) => `7999700${String(i).padStart(4, "0")}`);
    const responses = await Promise.all(
      phones.map((phone) => stack.send({ to: `${phone}@${DOMAIN}`, text: `parallel ${phone}` })),
    );
    for (const response of responses) expect(response).toMatch(/^250 2\.0\.0 Queued 1 SMS .* as \d+$/);
    const ids = responses.map((response) => response.replace(/^.* as /, ""));
    expect(new Set(ids).size).toBe(SESSIONS);

    const messages = await stack.delivered(SESSIONS);
    expect(messages).toHaveLength(SESSIONS);
    expect(messages.map((m) => m.phone).sort()).toEqual(phones);
    for (const message of messages) expect(message.mes).toBe(`parallel ${message.phone}`);
  });
});
