import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, type Outbox } from "@smsc-kit/outbox";
import { startRelay } from "@smsc-kit/smtp-relay";
import { createWebhookHandler, type WebhookHandler } from "@smsc-kit/webhook";
import { budgetLoginOf } from "./budget-login.js";
import { ConfigError } from "./config/errors.js";
import type { GatewayConfig } from "./config/schema.js";
import { dashboardRoutes } from "./http/dashboard/routes.js";
import { httpHardening } from "./http/hardening.js";
import { createMetrics, type GatewayMetrics } from "./http/metrics.js";
import { type NodeHandler, startHttpServer } from "./http/server.js";
import { StepJournal } from "./journal.js";
import type { Logger } from "./logging.js";
import { recordOutboxEvents } from "./outbox-events.js";
import { watchPause } from "./pause.js";
import { type GatewayParts, shutDown } from "./shutdown.js";
import { asConfigError } from "./smtp/relay-config-error.js";
import { relayOptionsOf } from "./smtp/relay-options.js";
import { countingOutbox } from "./smtp/relay-outbox.js";
import { createGatewayView } from "./status-data.js";
import { type GatewayStores, openStores } from "./stores.js";
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

/**
 * One process: SMTP relay → outbox workers → SMSC, SMSC callbacks → webhook → outbox, plus the HTTP side.
 * This file only wires the parts together; what happens on the outbox's events is outbox-events.ts, the pause
 * is pause.ts, what the status page reads is status-data.ts, and the one stop order is shutdown.ts.
 */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  checkWebhookSecurity(config);
  const credentials = credentialsOf(config);
  const parts: GatewayParts = {
    client: createSmscClient(credentials, {
      baseUrl: config.smsc.baseUrl,
      timeoutMs: config.smsc.timeoutMs,
      logger: logger.child({ component: "smsc-client" }),
    }),
  };
  try {
    const stores = await openStores(config.store);
    parts.stores = stores;
    const outbox = createOutbox({
      store: stores.outbox,
      client: parts.client,
      login: budgetLoginOf(credentials),
      coalesce: config.outbox.coalesce,
    });
    parts.outbox = outbox;
    const journal = new StepJournal();
    const pause = watchPause(outbox, logger);
    const view = createGatewayView(outbox, stores, journal, pause);
    const metrics = createMetrics(outbox);
    recordOutboxEvents(outbox, journal, metrics, logger);

    const webhook = createWebhookHandler({
      store: stores.webhook,
      ...webhookSignature(config.webhook),
      sink: outbox,
      logger: logger.child({ component: "webhook" }),
      onStatus: (event) => {
        metrics.webhookCallbacks.inc({ outcome: event.result.applied ? "applied" : "stale" });
      },
    });

    const http = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      view,
      metrics,
      logger: logger.child({ component: "http" }),
      auth: config.http.auth,
      ...httpHardening(config),
      dashboard: dashboardRoutes(
        {
          outbox,
          callbacks: (smscId) => stores.webhook.history(smscId),
          steps: (rowId) => journal.events(rowId),
          pause: () => pause.current(),
          // Within the login's balance-polling rule across every process on the store (outbox.insights.balance).
          balance: () => outbox.insights.balance(),
        },
        logger.child({ component: "dashboard" }),
      ),
      mounts: config.webhook.enabled ? { [config.webhook.path]: countedWebhook(webhook, metrics) } : {},
    });
    parts.http = http;
    const webhookUrl = config.webhook.publicUrl ?? `${http.url}${config.webhook.path}`;

    if (!config.http.auth && !isLoopback(config.http.host)) {
      logger.warn(
        { host: config.http.host },
        "status page and redrive are reachable without a password: set http.auth when listening beyond loopback",
      );
    }

    if (config.smtp.enabled) {
      if (config.smtp.users.length === 0) {
        logger.warn("SMTP relay has no users (smtp.users): every AUTH will be refused, so no mail gets in");
      }
      try {
        parts.relay = await startRelay({
          ...(await relayOptionsOf(config.smtp)),
          outbox: countingOutbox(outbox, metrics),
          logger: logger.child({ component: "smtp-relay" }),
          metrics: metrics.registry,
        });
      } catch (error) {
        throw asConfigError(error, config.smtp);
      }
    }

    if (config.outbox.enabled) outbox.start({ concurrency: config.outbox.concurrency });
    parts.reconcile = setInterval(() => {
      outbox.reconcilePending().catch((error: unknown) => logger.warn({ err: error }, "reconcile failed"));
    }, RECONCILE_INTERVAL_MS);
    parts.reconcile.unref();

    logger.info(
      {
        http: http.url,
        webhook: webhookUrl,
        smtp: parts.relay ? `${parts.relay.host}:${parts.relay.port}` : null,
        store: `${stores.kind} ${stores.location}`,
        smsc: config.smsc.baseUrl,
      },
      "gateway started",
    );

    let closing: Promise<void> | undefined;
    return {
      httpUrl: http.url,
      webhookUrl,
      smtpPort: parts.relay?.port,
      outbox,
      stores,
      metrics,
      close() {
        closing ??= shutDown(parts, logger).then((failure) => {
          if (failure !== undefined) throw failure;
        });
        return closing;
      },
    };
  } catch (error) {
    await shutDown(parts, logger);
    throw error;
  }
}

/** The webhook receiver, with its answers counted by HTTP status. */
function countedWebhook(webhook: WebhookHandler, metrics: GatewayMetrics): NodeHandler {
  return (req, res) => {
    res.once("finish", () => metrics.webhookRequests.inc({ code: String(res.statusCode) }));
    return webhook.node(req, res);
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
