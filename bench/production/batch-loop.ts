/**
 * An opt-in reference system for the production benchmark (PRODUCTION_SYSTEMS=…,batch-loop): no queue, one
 * process, core's `client.send` with 14 requests in flight, each carrying many messages the way SMSC's own
 * bulk mailings go: the campaign as `phones` lists of up to 500 numbers, the distinct texts as `list` sends of
 * up to 300 lines, `err=1`. It is the ceiling a coalescing sender can approach under SMSC's cap, and it proves
 * the harness counts messages inside batched requests (a message is a recipient, not a request).
 */
import { createSmscClient } from "@smsc-kit/core";
import type { Job } from "./workload.js";

const IN_FLIGHT = 14;
const PHONES_PER_REQUEST = 500;
const LINES_PER_REQUEST = 300;

type Request = Parameters<ReturnType<typeof createSmscClient>["send"]>[0];

/** The requests that carry `jobs`: same-text runs as phones lists, the rest as list lines. */
export function batchRequests(jobs: readonly Job[]): Request[] {
  const byText = new Map<string, string[]>();
  for (const job of jobs) byText.set(job.mes, [...(byText.get(job.mes) ?? []), job.phones]);
  const requests: Request[] = [];
  const singles: Job[] = [];
  for (const [mes, phones] of byText) {
    if (phones.length === 1) {
      singles.push({ mes, phones: phones[0]! });
      continue;
    }
    for (let i = 0; i < phones.length; i += PHONES_PER_REQUEST)
      requests.push({ phones: phones.slice(i, i + PHONES_PER_REQUEST), mes, err: true });
  }
  for (let i = 0; i < singles.length; i += LINES_PER_REQUEST) {
    const list = singles.slice(i, i + LINES_PER_REQUEST).map((j) => ({ phones: j.phones, mes: j.mes }));
    requests.push({ phones: "", mes: "", list, err: true });
  }
  return requests;
}

/** Sends every job, 14 requests in flight; resolves when every request was answered. */
export async function runBatchLoop(jobs: readonly Job[], simOrigin: string): Promise<void> {
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: simOrigin, fallbackUrls: [], connections: IN_FLIGHT },
  );
  const requests = batchRequests(jobs);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) await client.send(requests[next++]!);
      }),
    );
  } finally {
    await client.close();
  }
}
