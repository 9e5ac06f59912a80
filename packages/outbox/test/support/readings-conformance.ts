import { expect, it } from "vitest";
import type { OutboxStore } from "../../src/store/store.js";

/** A login's last reading (save-reading, read-reading), shared with another process and never replaced by an older one. */
export function readingCases(current: () => { store: OutboxStore; peer(): Promise<OutboxStore> }): void {
  it("stores a login's newest reading for every process, keeping it when an older one arrives late", async () => {
    const { store } = current();
    const peer = await current().peer();
    expect(await store.readReading("acme", "balance")).toBeNull();
    await store.saveReading("acme", "balance", '{"balance":10}', 2_000);
    expect(await peer.readReading("acme", "balance")).toEqual({ value: '{"balance":10}', at: 2_000 });
    await peer.saveReading("acme", "balance", '{"balance":9}', 3_000);
    await store.saveReading("acme", "balance", '{"balance":11}', 2_500);
    expect(await store.readReading("acme", "balance")).toEqual({ value: '{"balance":9}', at: 3_000 });
    expect(await store.readReading("other", "balance")).toBeNull();
  });
}
