import { resolve } from "node:path";
import {
  createOutbox,
  type Outbox,
  type OutboxMessage,
  type OutboxOptions,
  openSqliteStore,
  type StoredRow,
} from "@smsc-kit/outbox";
import { budgetLoginOf } from "../../budget-login.js";
import { type CatalogFlag, requestFromFlags } from "../catalog-options.js";
import type { CliContext } from "../context.js";
import { EXIT, SMSC_CLASS_EXIT } from "../exit-codes.js";
import { type DuplicateRow, defaultCampaign, planList, type RepeatedRecipient } from "../list-plan.js";
import { RecipientsFileError, readRecipients } from "../recipients-csv.js";

export interface SendListOptions {
  file: string;
  /** The campaign the rows belong to (part of every row's idempotency key); default the file's name. */
  campaign?: string | undefined;
  /** SQLite file of the outbox; by default next to the CSV, so running the same command again resumes. */
  outboxFile?: string | undefined;
  concurrency: number;
  /** Most messages in one request (the outbox's coalesce limits); 1 sends each alone; default the catalog's. */
  perRequest?: number | undefined;
  /** Resolves when the user asked to stop (Ctrl-C); the run then releases in-flight work and reports. */
  interrupted: Promise<void>;
}

export interface ListSummary {
  file: string;
  campaign: string;
  outbox: string;
  /** Data rows in the file. */
  rows: number;
  /** Messages: the rows less the duplicates. */
  total: number;
  /** Rows that send the same message as an earlier line: sent once, listed here. */
  duplicates: DuplicateRow[];
  /** Subscribers a row names twice in different spellings: the message names them once. */
  repeatedRecipients: RepeatedRecipient[];
  /**
   * Unsent messages in the outbox that this file no longer lists (lines edited or removed after an
   * interrupted run, or another campaign sharing the outbox): the outbox sends them too, so they are reported.
   */
  earlierUnsent: number;
  /** Rows enqueued by this run (the others were already in the outbox from an earlier run). */
  newlyEnqueued: number;
  sent: number;
  failed: number;
  pending: number;
  failedByReason: Record<string, number>;
  interrupted: boolean;
  paused: string | null;
}

const ENQUEUE_CHUNK = 500;
const RESCAN_AFTER_MS = 2000;
const PROGRESS_EVERY_MS = 200;
const TERMINAL = new Set(["sent", "dead"]);

/** `smsc send --list file.csv`: every row through a local outbox, resumable, nothing sent twice. */
function coalesceOf(perRequest: number | undefined): Pick<OutboxOptions, "coalesce"> {
  if (perRequest === undefined) return {};
  if (perRequest === 1) return { coalesce: false };
  return { coalesce: { maxRecipients: perRequest, maxListLines: perRequest } };
}

export async function runSendList(
  context: CliContext,
  flags: CatalogFlag[],
  values: Record<string, unknown>,
  options: SendListOptions,
): Promise<number> {
  const { output } = context;
  const template = typeof values.mes === "string" ? values.mes : undefined;
  if (options.campaign !== undefined && options.campaign.trim() === "") {
    throw new RecipientsFileError("campaign", "non-empty", "--campaign needs a name");
  }
  const rows = await readRecipients(options.file, template);
  const shared = requestFromFlags(flags, values);
  delete shared.mes;
  delete shared.phones;
  const plan = planList(rows, options.campaign ?? defaultCampaign(options.file), shared);
  const messagesToSend = plan.messages;

  const outboxFile = resolve(options.outboxFile ?? `${options.file}.outbox.sqlite`);
  const client = await context.client();
  const store = openSqliteStore({ filename: outboxFile });
  const outbox = createOutbox({
    store,
    client,
    login: budgetLoginOf(await context.credentials()),
    ...coalesceOf(options.perRequest),
  });
  try {
    const rowIds: number[] = [];
    let newlyEnqueued = 0;
    for (let start = 0; start < messagesToSend.length; start += ENQUEUE_CHUNK) {
      const chunk = messagesToSend.slice(start, start + ENQUEUE_CHUNK);
      const messages = chunk.map(
        (row) =>
          ({
            ...shared,
            phones: row.phones,
            mes: row.mes,
            idempotencyKey: row.idempotencyKey,
            meta: { campaign: plan.campaign, line: row.line },
          }) as OutboxMessage,
      );
      const enqueued = await outbox.enqueue(messages);
      enqueued.forEach((entry, index) => {
        rowIds.push(entry.rowId);
        if (entry.created) newlyEnqueued++;
        // The outbox's word on a text SMSC will cut to --maxsms parts (it sends the rest of the row as is).
        for (const warning of entry.warnings ?? [])
          output.note(`line ${chunk[index]?.line}: ${warning.message}`);
      });
    }
    output.note(
      `${messagesToSend.length} messages from ${options.file} (campaign "${plan.campaign}"): ${newlyEnqueued} new, ${messagesToSend.length - newlyEnqueued} already in ${outboxFile}`,
    );
    for (const line of duplicateLines(plan.duplicates)) output.note(line);
    for (const line of repeatLines(plan.repeatedRecipients)) output.note(line);

    const summary = await deliver(context, outbox, rowIds, options);
    const report: ListSummary = {
      file: options.file,
      campaign: plan.campaign,
      outbox: outboxFile,
      rows: rows.length,
      total: messagesToSend.length,
      duplicates: plan.duplicates,
      repeatedRecipients: plan.repeatedRecipients,
      newlyEnqueued,
      ...summary,
    };
    output.result(report, () => humanSummary(report));
    if (report.interrupted) return EXIT.interrupted;
    if (report.paused) return SMSC_CLASS_EXIT[report.paused as "funds" | "auth"] ?? EXIT.partial;
    return report.failed > 0 || report.pending > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    await outbox.stop();
    await store.close();
    await client.close();
  }
}

async function deliver(
  context: CliContext,
  outbox: Outbox,
  rowIds: number[],
  options: SendListOptions,
): Promise<
  Omit<
    ListSummary,
    "file" | "campaign" | "outbox" | "rows" | "total" | "duplicates" | "repeatedRecipients" | "newlyEnqueued"
  >
> {
  const mine = new Set(rowIds);
  const states = new Map<number, StoredRow>();
  const refresh = async (ids: Iterable<number>) => {
    for (const id of ids) {
      const row = await outbox.get(id);
      if (row) states.set(id, row);
    }
  };
  await refresh(rowIds);
  const earlierUnsent = await unsentNotListed(outbox, states);
  if (earlierUnsent > 0) {
    context.output.note(
      `warning: ${earlierUnsent} unsent message(s) in the outbox are not in the file as it is now (lines edited or removed since an earlier run); they are sent too`,
    );
  }
  const done = () => [...states.values()].filter((row) => TERMINAL.has(row.state)).length;
  // At most five progress lines a second, the last state always shown: a big list must not flood the terminal.
  let lastPrint = 0;
  let trailing: NodeJS.Timeout | undefined;
  const showProgress = () => {
    const wait = lastPrint + PROGRESS_EVERY_MS - Date.now();
    if (wait > 0) {
      trailing ??= setTimeout(() => {
        trailing = undefined;
        showProgress();
      }, wait);
      return;
    }
    lastPrint = Date.now();
    const finished = done();
    const width = 30;
    const filled = rowIds.length === 0 ? width : Math.round((finished / rowIds.length) * width);
    const counts = tally(states);
    context.output.progress(
      `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${finished}/${rowIds.length}  sent ${counts.sent}  failed ${counts.failed}`,
      context.io.isTty,
    );
  };

  let paused: string | null = null;
  let wake: () => void = () => {};
  const changed = (event: { rowId: number }) => {
    if (!mine.has(event.rowId)) return;
    void refresh([event.rowId]).then(() => {
      showProgress();
      wake();
    });
  };
  outbox.on("sent", changed);
  outbox.on("dead", changed);
  outbox.on("paused", (event) => {
    paused = event.reason;
    wake();
  });

  let interrupted = false;
  void options.interrupted.then(() => {
    interrupted = true;
    wake();
  });

  showProgress();
  if (done() < rowIds.length) {
    outbox.start({ concurrency: options.concurrency });
    while (!interrupted && paused === null && done() < rowIds.length) {
      // Events keep the states current one row at a time; a quiet spell triggers a re-read of the rows still
      // open, in case an event was missed (a lease reclaimed by another run, a reconcile).
      const quiet = await new Promise<boolean>((resolveWait) => {
        wake = () => resolveWait(false);
        setTimeout(() => resolveWait(true), RESCAN_AFTER_MS).unref();
      });
      if (quiet && !interrupted)
        await refresh(rowIds.filter((id) => !TERMINAL.has(states.get(id)?.state ?? "")));
    }
    await outbox.stop();
    await refresh(rowIds);
  }
  clearTimeout(trailing);
  lastPrint = 0;
  showProgress();
  if (context.io.isTty) context.io.stderr.write("\n");
  const counts = tally(states);
  return { ...counts, earlierUnsent, interrupted, paused };
}

/** Open rows of the outbox that are not this run's: the outbox sends every open row, not only ours. */
async function unsentNotListed(outbox: Outbox, mine: Map<number, StoredRow>): Promise<number> {
  const { byState } = await outbox.stats();
  const open = byState.queued + byState.unknown + byState.sending;
  const mineOpen = [...mine.values()].filter((row) => !TERMINAL.has(row.state)).length;
  return Math.max(0, open - mineOpen);
}

function tally(states: Map<number, StoredRow>) {
  let sent = 0;
  let failed = 0;
  let pending = 0;
  const failedByReason: Record<string, number> = {};
  for (const row of states.values()) {
    if (row.state === "sent") sent++;
    else if (row.state === "dead") {
      failed++;
      const reason = `${row.lastErrorClass ?? "error"}${row.lastErrorCode !== null ? ` (SMSC ${row.lastErrorCode})` : ""}`;
      failedByReason[reason] = (failedByReason[reason] ?? 0) + 1;
    } else pending++;
  }
  return { sent, failed, pending, failedByReason };
}

// A file merged from two exports may repeat thousands of rows: the terminal gets the first few, --json all.
const DUPLICATES_SHOWN = 20;

function duplicateLines(duplicates: readonly DuplicateRow[]): string[] {
  const lines = duplicates
    .slice(0, DUPLICATES_SHOWN)
    .map((d) => `line ${d.line} repeats line ${d.sameAs} (same recipients, text and options): sent once`);
  if (duplicates.length > DUPLICATES_SHOWN) {
    lines.push(`… and ${duplicates.length - DUPLICATES_SHOWN} more repeated lines (all of them in --json)`);
  }
  return lines;
}

function repeatLines(repeats: readonly RepeatedRecipient[]): string[] {
  const lines = repeats
    .slice(0, DUPLICATES_SHOWN)
    .map((r) => `line ${r.line} names ${r.sameAs} again as ${r.phone}: sent once`);
  if (repeats.length > DUPLICATES_SHOWN) {
    lines.push(`… and ${repeats.length - DUPLICATES_SHOWN} more repeated recipients (all of them in --json)`);
  }
  return lines;
}

function humanSummary(report: ListSummary): string {
  const lines = [
    `${report.file}: ${report.total} messages, ${report.sent} sent, ${report.failed} failed, ${report.pending} pending`,
  ];
  for (const [reason, count] of Object.entries(report.failedByReason))
    lines.push(`  failed ${count}: ${reason}`);
  for (const line of duplicateLines(report.duplicates)) lines.push(`  ${line}`);
  if (report.earlierUnsent > 0)
    lines.push(
      `  ${report.earlierUnsent} earlier message(s) no longer in the file were in the outbox, unsent`,
    );
  if (report.paused)
    lines.push(`stopped: SMSC paused the outbox (${report.paused}); fix it and run the same command again`);
  if (report.interrupted)
    lines.push(`interrupted: run the same command again to resume (outbox ${report.outbox})`);
  return lines.join("\n");
}
