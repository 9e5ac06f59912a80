import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { createOutbox, type Outbox } from "@smsc-kit/outbox";
import { type RelayHandle, startRelay } from "@smsc-kit/smtp-relay";
import { createWebhookHandler } from "@smsc-kit/webhook";
import { ConfigError } from "./config/errors.js";
import type { GatewayConfig } from "./config/schema.js";
import { errorLabel, messageHistory, sentStepName } from "./history.js";
import { httpHardening } from "./http/hardening.js";
import { createMetrics, type GatewayMetrics } from "./http/metrics.js";
import { type GatewayHttpServer, startHttpServer } from "./http/server.js";
import { StepJournal } from "./journal.js";
import type { Logger } from "./logging.js";
import { asConfigError } from "./smtp/relay-config-error.js";
import { relayOptionsOf } from "./smtp/relay-options.js";
import { countingOutbox } from "./smtp/relay-outbox.js";
import { type GatewayStores, openStores } from "./stores.js";
import type { GatewayView, PauseState } from "./view.js";
import { checkWebhookSecurity, webhookSignature } from "./webhook-policy.js";

export interface RunningGateway {
  /** Status page, /healthz, /readyz, /metrics. */
  httpUrl: string;
  /** Where SMSC should POST delivery statuses. */
  webhookUrl: string;
  /** SMTP relay port, or undefined when the relay is disabled. */
  smtpPort: number | undefined;
  outbox: Outbox;
  stores: GatewayStores;
  metrics: GatewayMetrics;
  /** Graceful stop: stop accepting (SMTP and HTTP), finish or release in-flight sends, close the stores. */
  close(): Promise<void>;
}

/** How often messages whose delivery callback never came are asked about with get_status. */
const RECONCILE_INTERVAL_MS = 60_000;

/** The SMSC credentials the gateway will use; a ConfigError when there are none. */
export function credentialsOf(config: GatewayConfig) {
  const { login, psw, apikey } = config.smsc;
  if (apikey !== undefined) return { apikey };
  if (login !== undefined && psw !== undefined) return { login, psw };
  throw new ConfigError([
    {
      path: "smsc",
      rule: "credentials are required: smsc.login + smsc.psw or smsc.apikey (or SMSC_LOGIN/SMSC_PSW, SMSC_APIKEY)",
    },
  ]);
}

/** One process: SMTP relay → outbox workers → SMSC, SMSC callbacks → webhook → outbox, plus the HTTP side. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const credentials = credentialsOf(config);
  checkWebhookSecurity(config);
  const client: SmscClient = createSmscClient(credentials, {
    baseUrl: config.smsc.baseUrl,
    timeoutMs: config.smsc.timeoutMs,
    logger: logger.child({ component: "smsc-client" }),
  });
  const cleanups: (() => Promise<void>)[] = [() => client.close()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse())
      await fn().catch((error: unknown) => logger.warn({ err: error }, "cleanup failed"));
  };

  try {
    const stores = await openStores(config.store);
    cleanups.push(() => stores.close());
    const outbox = createOutbox({ store: stores.outbox, client });
    const journal = new StepJournal();
    const pause: PauseState = { paused: false };
    const view = createView(outbox, stores, journal, pause);
    const metrics = createMetrics(view);
    wireOutboxEvents(outbox, journal, pause, metrics, logger);

    const webhook = createWebhookHandler({
      store: stores.webhook,
      ...webhookSignature(config.webhook),
      sink: outbox,
      logger: logger.child({ component: "webhook" }),
      onStatus: (event) => {
        metrics.webhookCallbacks.inc({ outcome: event.result.applied ? "applied" : "stale" });
      },
    });

    const http: GatewayHttpServer = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      view,
      metrics,
      logger: logger.child({ component: "http" }),
      auth: config.http.auth,
      ...httpHardening(config),
      mounts: config.webhook.enabled
        ? {
            [config.webhook.path]: (req, res) => {
              res.once("finish", () => metrics.webhookRequests.inc({ code: String(res.statusCode) }));
              return webhook.node(req, res);
            },
          }
        : {},
    });
    cleanups.push(() => http.close());
    const webhookUrl = config.webhook.publicUrl ?? `${http.url}${config.webhook.path}`;

    if (!config.http.auth && !isLoopback(config.http.host)) {
      logger.warn(
        { host: config.http.host },
        "status page and redrive are reachable without a password: set http.auth when listening beyond loopback",
      );
    }

    let relay: RelayHandle | undefined;
    if (config.smtp.enabled) {
      if (config.smtp.users.length === 0) {
        logger.warn("SMTP relay has no users (smtp.users): every AUTH will be refused, so no mail gets in");
      }
      try {
        relay = await startRelay({
          ...(await relayOptionsOf(config.smtp)),
          outbox: countingOutbox(outbox, metrics),
          logger: logger.child({ component: "smtp-relay" }),
          metrics: metrics.registry,
        });
      } catch (error) {
        throw asConfigError(error, config.smtp);
      }
      const started = relay;
      cleanups.push(() => started.close());
    }

    if (config.outbox.enabled) outbox.start({ concurrency: config.outbox.concurrency });
    const reconcile = setInterval(() => {
      outbox.reconcilePending().catch((error: unknown) => logger.warn({ err: error }, "reconcile failed"));
    }, RECONCILE_INTERVAL_MS);
    reconcile.unref();

    logger.info(
      {
        http: http.url,
        webhook: webhookUrl,
        smtp: relay ? `${relay.host}:${relay.port}` : null,
        store: `${stores.kind} ${stores.location}`,
        smsc: config.smsc.baseUrl,
      },
      "gateway started",
    );

    let closing: Promise<void> | undefined;
    return {
      httpUrl: http.url,
      webhookUrl,
      smtpPort: relay?.port,
      outbox,
      stores,
      metrics,
      close() {
        closing ??= (async () => {
          clearInterval(reconcile);
          http.markDraining();
          // Stop taking new mail first (the relay answers 421 while closing), then let in-flight sends
          // finish or go back to the queue, then the HTTP side (callbacks keep landing until here), then stores.
          if (relay) await relay.close();
          await outbox.stop();
          await http.close();
          await stores.close();
          await client.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

function wireOutboxEvents(
  outbox: Outbox,
  journal: StepJournal,
  pause: PauseState,
  metrics: GatewayMetrics,
  logger: Logger,
) {
  const step = (rowId: number, at: number, name: string) =>
    journal.record(rowId, { name, at: new Date(at), source: "outbox" });
  outbox.on("sent", (event) => {
    step(event.rowId, event.at, sentStepName(event.cnt, event.reconciled));
    metrics.outboxSent.inc({ result: event.reconciled ? "reconciled" : "sent" });
    logger.info({ rowId: event.rowId, smscId: event.smscId, cnt: event.cnt }, "SMS handed to SMSC");
  });
  outbox.on("retry", (event) => {
    const what = event.unknown ? "outcome unknown" : "retry";
    step(
      event.rowId,
      event.at,
      `${what} (${errorLabel(event.error)}), next try ${new Date(event.runAt).toISOString()}`,
    );
  });
  outbox.on("redriven", (event) => {
    step(event.rowId, event.at, "back in the queue (redriven from the dead letter)");
  });
  outbox.on("deferred", (event) => {
    step(
      event.rowId,
      event.at,
      `waiting (${event.reason.replaceAll("_", " ")}) until ${new Date(event.runAt).toISOString()}`,
    );
  });
  outbox.on("dead", (event) => {
    step(event.rowId, event.at, `dead letter (${errorLabel(event.error)})`);
    metrics.outboxDead.inc();
    logger.warn(
      { rowId: event.rowId, smscId: event.smscId, error: event.error },
      "SMS moved to the dead letter",
    );
  });
  outbox.on("status", (event) => {
    // Statuses are read back from the stores (webhook callbacks, the outbox's recipient statuses).
    metrics.statusUpdates.inc({ status: String(event.status), source: event.source });
  });
  outbox.on("paused", (event) => {
    Object.assign(pause, {
      paused: true,
      reason: `${event.reason}: ${event.error.message}`,
      since: new Date(event.at),
    });
    logger.warn({ reason: event.reason, error: event.error }, "outbox paused");
  });
  outbox.on("resumed", (event) => {
    Object.assign(pause, { paused: false, reason: undefined, since: undefined });
    logger.info({ reason: event.reason, pausedForMs: event.pausedForMs }, "outbox resumed");
  });
  outbox.on("blocked", (event) => {
    logger.warn(
      { until: new Date(event.until).toISOString(), error: event.error },
      "SMSC blocked this IP; outbox backs off",
    );
  });
  outbox.on("warning", (event) => logger.warn({ kind: event.kind, rowId: event.rowId }, event.message));
}

function createView(
  outbox: Outbox,
  stores: GatewayStores,
  journal: StepJournal,
  pause: PauseState,
): GatewayView {
  return {
    async queue() {
      const stats = await outbox.stats();
      return {
        byState: { ...stats.byState },
        deadLetter: stats.deadLetterDepth,
        oldestPendingAgeSeconds: stats.oldestDueAgeMs / 1000,
        inFlight: stats.inFlight,
      };
    },
    async recentMessages(limit) {
      // The shared stores, not this process's memory: every gateway on one store shows the same list.
      const rows = await outbox.recent({ limit });
      return Promise.all(
        rows.map(async (row) => {
          const [callbacks, recipientStatuses] = await Promise.all([
            stores.webhook.history(row.smscId),
            stores.outbox.recipientStatuses(row.smscId),
          ]);
          return {
            rowId: String(row.rowId),
            smscId: row.smscId,
            phones: row.recipients.join(", "),
            state: row.state,
            createdAt: new Date(row.createdAt),
            history: messageHistory({ row, callbacks, recipientStatuses, steps: journal.events(row.rowId) }),
          };
        }),
      );
    },
    async deadLetters(limit) {
      const rows = await outbox.deadLetter.list({ limit });
      return rows.map((row) => ({
        rowId: String(row.rowId),
        smscId: row.smscId,
        phones: row.recipients.join(", "),
        reason: `${row.lastErrorClass ?? "error"}${row.lastErrorCode !== null ? ` (SMSC ${row.lastErrorCode})` : ""}: ${row.lastError ?? ""}`,
        at: row.deadAt !== null ? new Date(row.deadAt) : undefined,
      }));
    },
    async redrive(rowId) {
      const id = Number(rowId);
      if (!Number.isSafeInteger(id)) return false;
      return outbox.deadLetter.redrive(id);
    },
    pause() {
      return { ...pause };
    },
    async readiness() {
      const reasons: string[] = [];
      try {
        const stats = await outbox.stats();
        if (stats.paused) reasons.push(`outbox paused (${stats.paused})`);
        if (stats.blockedUntil !== null && stats.blockedUntil > Date.now()) {
          reasons.push(`SMSC blocked this IP until ${new Date(stats.blockedUntil).toISOString()}`);
        }
      } catch {
        reasons.push("store unreachable");
      }
      return { ready: reasons.length === 0, reasons };
    },
  };
}
