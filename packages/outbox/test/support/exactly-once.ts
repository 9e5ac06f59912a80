import { recipientKey } from "@smsc-kit/core";
import type { RunningSimulator } from "@smsc-kit/simulator";
import { expect } from "vitest";
import { wireId } from "../../src/smsc-id.js";
import type { OutboxStore, StoredRow } from "../../src/store/store.js";

type SimMessage = ReturnType<RunningSimulator["inspector"]["messages"]>[number];

/** A message SMSC accepted (a recipient refused inside a request is kept with its status but no parts). */
export function accepted(sim: RunningSimulator): SimMessage[] {
  return sim.inspector.messages().filter((m) => m.parts > 0);
}

const pair = (id: string, phone: string) => `${id}\u0000${recipientKey(phone)}`;

export async function rowsOf(store: OutboxStore, rowIds: readonly number[]): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (let i = 0; i < rowIds.length; i += 200) {
    const page = await Promise.all(rowIds.slice(i, i + 200).map((id) => store.get(id)));
    for (const row of page) if (row) rows.push(row);
  }
  expect(rows).toHaveLength(rowIds.length);
  return rows;
}

/**
 * Every recipient of every row has exactly one accepted message at the simulator, under the id SMSC knows the row
 * by (its own, or its batch's: many rows share one request), and the simulator accepted nothing else: no
 * duplicates (a second request would add a message under some id), none lost.
 */
export async function expectEachRecipientOnce(
  sim: RunningSimulator,
  store: OutboxStore,
  rowIds: readonly number[],
): Promise<StoredRow[]> {
  const rows = await rowsOf(store, rowIds);
  const seen = new Map<string, number>();
  for (const m of accepted(sim)) seen.set(pair(m.id, m.phone), (seen.get(pair(m.id, m.phone)) ?? 0) + 1);
  const doubles = [...seen].filter(([, n]) => n > 1);
  expect(doubles).toEqual([]);
  let expected = 0;
  const missing: string[] = [];
  for (const row of rows) {
    for (const phone of row.recipients) {
      expected += 1;
      if (seen.get(pair(wireId(row), phone)) !== 1) missing.push(`row ${row.rowId} ${phone}`);
    }
  }
  expect(missing).toEqual([]);
  expect(accepted(sim)).toHaveLength(expected);
  return rows;
}
