import { createGroupCommit } from "@smsc-kit/runtime";
import type { RelayEnqueued, RelayOutbox, RelayOutboxMessage } from "./outbox-port.js";

type Mail = readonly RelayOutboxMessage[];

/**
 * Group commit of mails into the outbox (runtime's createGroupCommit): mails that finish DATA while a commit
 * is in flight are committed together in the next one, so many concurrent sessions cost one transaction
 * instead of one each. A batch holds at most `maxBatchMessages` messages and never splits a mail; each mail
 * gets only its own rows back, and when a batch fails every mail in it is retried alone, so one bad mail (or
 * a transient error) is reported to its own sender and not to its neighbours.
 */
export function createGroupCommitter(outbox: RelayOutbox, maxBatchMessages: number) {
  const commits = createGroupCommit<Mail, readonly RelayEnqueued[]>(
    async (mails) => {
      const rows = await outbox.enqueue(mails.flat());
      let offset = 0;
      return mails.map((mail) => {
        offset += mail.length;
        return rows.slice(offset - mail.length, offset);
      });
    },
    { maxBatch: maxBatchMessages, weight: (mail) => mail.length },
  );
  return (messages: Mail): Promise<readonly RelayEnqueued[]> => commits.submit(messages);
}
