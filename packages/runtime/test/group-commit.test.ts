import { describe, expect, it } from "vitest";
import { createGroupCommit } from "../src/group-commit.js";

describe("group commit", () => {
  it("writes callbacks submitted together in one batch and answers each with its own result", async () => {
    const batches: number[][] = [];
    const commits = createGroupCommit<number, string>((items) => {
      batches.push(items);
      return items.map((n) => `row ${n}`);
    });
    const results = await Promise.all([1, 2, 3].map((n) => commits.submit(n)));
    expect(results).toEqual(["row 1", "row 2", "row 3"]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("queues what arrives during a commit for the next one", async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const commits = createGroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items;
    });
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [commits.submit(2), commits.submit(3)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it("fails only the row that breaks a batch, not its neighbours", async () => {
    const commits = createGroupCommit<number, number>((items) => {
      if (items.includes(13)) throw new Error("constraint violated");
      return items.map((n) => n * 10);
    });
    const settled = await Promise.allSettled([12, 13, 14].map((n) => commits.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(settled[0]).toMatchObject({ value: 120 });
    expect(settled[2]).toMatchObject({ value: 140 });
  });

  it("keeps up to `concurrency` batches in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const commits = createGroupCommit<number, number>(
      async (items) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return items;
      },
      { concurrency: 2, maxBatch: 1 },
    );
    expect(await Promise.all([1, 2, 3, 4].map((n) => commits.submit(n)))).toEqual([1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("caps the size of one batch", async () => {
    const sizes: number[] = [];
    const commits = createGroupCommit<number, number>(
      (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it("weighs items against maxBatch, never splitting one and never leaving a heavy one behind", async () => {
    const batches: string[][] = [];
    const commits = createGroupCommit<string, string>(
      (items) => {
        batches.push(items);
        return items;
      },
      { maxBatch: 2, weight: (item) => item.length },
    );
    await Promise.all(["a", "bb", "c", "dddd", "e"].map((item) => commits.submit(item)));
    expect(batches).toEqual([["a"], ["bb"], ["c"], ["dddd"], ["e"]]);
  });

  it("drain() resolves once everything submitted is written", async () => {
    const written: number[] = [];
    const commits = createGroupCommit<number, number>(async (items) => {
      await new Promise((resolve) => setImmediate(resolve));
      written.push(...items);
      return items;
    });
    for (const n of [1, 2, 3]) void commits.submit(n);
    await commits.drain();
    expect(written).toEqual([1, 2, 3]);
  });
});
