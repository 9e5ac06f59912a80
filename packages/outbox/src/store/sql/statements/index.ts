/** Every statement the stores run, one module each. The conformance suite checks it runs each on both stores. */
import { claim } from "./claim.js";
import { closeRecipient } from "./close-recipient.js";
import { createMigrationsTable } from "./create-migrations-table.js";
import { deleteSent } from "./delete-sent.js";
import { deleteStatuses } from "./delete-statuses.js";
import { finishDeferred } from "./finish-deferred.js";
import { finishFailed } from "./finish-failed.js";
import { finishSent } from "./finish-sent.js";
import { heartbeat } from "./heartbeat.js";
import { insertRows } from "./insert-rows.js";
import { listDead } from "./list-dead.js";
import { lockMessage } from "./lock-message.js";
import { migrationVersion } from "./migration-version.js";
import { pendingStatuses } from "./pending-statuses.js";
import { prunable } from "./prunable.js";
import { purgeDead } from "./purge-dead.js";
import { recent } from "./recent.js";
import { recentBefore } from "./recent-before.js";
import { recipientStatus } from "./recipient-status.js";
import { recipientStatuses } from "./recipient-statuses.js";
import { recordMigration } from "./record-migration.js";
import { redrive } from "./redrive.js";
import { release } from "./release.js";
import { rowById } from "./row-by-id.js";
import { rowBySmscId } from "./row-by-smsc-id.js";
import { rowsByIdempotencyKey } from "./rows-by-idempotency-key.js";
import { saveRecipientStatus } from "./save-recipient-status.js";
import { stats } from "./stats.js";

export {
  claim,
  closeRecipient,
  createMigrationsTable,
  deleteSent,
  deleteStatuses,
  finishDeferred,
  finishFailed,
  finishSent,
  heartbeat,
  insertRows,
  listDead,
  lockMessage,
  migrationVersion,
  pendingStatuses,
  prunable,
  purgeDead,
  recent,
  recentBefore,
  recipientStatus,
  recipientStatuses,
  recordMigration,
  redrive,
  release,
  rowById,
  rowBySmscId,
  rowsByIdempotencyKey,
  saveRecipientStatus,
  stats,
};

export const STATEMENTS = [
  claim,
  closeRecipient,
  createMigrationsTable,
  deleteSent,
  deleteStatuses,
  finishDeferred,
  finishFailed,
  finishSent,
  heartbeat,
  insertRows,
  listDead,
  lockMessage,
  migrationVersion,
  pendingStatuses,
  prunable,
  purgeDead,
  recentBefore,
  recent,
  recipientStatus,
  recipientStatuses,
  recordMigration,
  redrive,
  release,
  rowById,
  rowBySmscId,
  rowsByIdempotencyKey,
  saveRecipientStatus,
  stats,
] as const;
