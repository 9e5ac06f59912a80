/** `createWebhookHandler`: one receiver, two HTTP flavours (node `http` and Fetch API). */
import { createFetchHandler, type FetchHandler } from "./fetch-handler.js";
import { createNodeHandler, type NodeHandler } from "./node-handler.js";
import { createReceiver, type ReceiverOptions } from "./receiver.js";
import type { WebhookStore } from "./store/types.js";

export type WebhookHandlerOptions = ReceiverOptions;

export interface WebhookHandler {
  /** For `http.createServer(handler.node)`, Express and Connect. */
  readonly node: NodeHandler;
  /** For Fetch-style runtimes and frameworks (Hono, Next.js route handlers, workers). */
  readonly fetch: FetchHandler;
  /** The store callbacks are written to: states, history and when each message last heard anything. */
  readonly store: WebhookStore;
}

export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const receiver = createReceiver(options);
  return { node: createNodeHandler(receiver), fetch: createFetchHandler(receiver), store: options.store };
}
