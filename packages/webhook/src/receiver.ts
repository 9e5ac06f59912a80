/**
 * The receiver's one job, independent of the HTTP flavour: take a decoded request, answer it.
 * Order: shape (400) → signature (403) → durable write (503 if it fails) → listeners → status sink
 * (503 if it fails) → `200 OK`. Nothing is stored before the signature is checked.
 */
import { CALLBACK_SIGNATURE, type Logger, type StatusSink } from "@smsc-kit/core";
import {
  fieldsOf,
  type IncomingSms,
  parseCallback,
  type SmscCallback,
  type StatusCallback,
} from "./callback.js";
import { WebhookInputError, WebhookSignatureError, WebhookStoreError } from "./errors.js";
import { charsetOf, decodeForm, type FormPair, mediaTypeOf } from "./form.js";
import { createSignatureVerifier, type SignatureOptions, type SignatureVerifier } from "./signature.js";
import type { IncomingRecordResult, StatusRecordResult, WebhookStore } from "./store/types.js";

export interface StatusEvent {
  readonly callback: StatusCallback;
  readonly result: StatusRecordResult;
}

export interface IncomingEvent {
  readonly sms: IncomingSms;
  readonly result: IncomingRecordResult;
}

export interface ReceiverOptions {
  store: WebhookStore;
  /** The secret configured in SMSC's settings. Without it unsigned callbacks are accepted (warned once). */
  secret?: string;
  signature?: SignatureOptions;
  /** Told the message's current state after every stored status callback (the outbox implements it). */
  sink?: StatusSink;
  /** Called after a new status callback is durably stored (not for replays). Errors are logged, not answered. */
  onStatus?: (event: StatusEvent) => void | Promise<void>;
  /** Called after a new incoming SMS is durably stored. */
  onIncoming?: (event: IncomingEvent) => void | Promise<void>;
  /** Largest body accepted, in bytes. Default 16 KiB: a callback is a few hundred bytes. */
  maxBodyBytes?: number;
  /** Time allowed for reading, verifying and storing one callback. Default 10 s. */
  requestTimeoutMs?: number;
  logger?: Logger;
  now?: () => Date;
}

/** A request with its body already read (the handlers enforce the size limit while reading). */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as in the request line. */
  readonly url: string;
  readonly contentType?: string | undefined;
  readonly body: Uint8Array;
}

export interface ReceiverResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Receiver {
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  handle(request: ReceivedRequest): Promise<ReceiverResponse>;
  /** The answer for a request the handler refused before it reached `handle` (size, unreadable body). */
  refuse(error: WebhookInputError): ReceiverResponse;
  /** The answer when the deadline passed while reading the body (408) or while storing (503). */
  timedOut(phase: "body" | "store"): ReceiverResponse;
  /** The refusal of a body larger than `maxBodyBytes`. */
  tooLarge(): ReceiverResponse;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" } as const;
/** The fields a replay is recognised by (state-machine.ts replayKey); the signature should cover them all. */
const REPLAY_KEY_FIELDS = ["id", "phone", "status"] as const;
// A missing Content-Type is read as a form too: some HTTP stacks drop it on small bodies.
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", ""]);

export function createReceiver(options: ReceiverOptions): Receiver {
  const logger = options.logger ?? {};
  const now = options.now ?? (() => new Date());
  const verifier: SignatureVerifier | undefined =
    options.secret === undefined || options.secret === ""
      ? undefined
      : createSignatureVerifier(options.secret, options.signature);
  if (!verifier) {
    logger.warn?.({}, "webhook: no secret configured, accepting unsigned callbacks");
  }
  const signedFields = options.signature?.fields ?? CALLBACK_SIGNATURE.fields;
  const unsignedKeyFields = REPLAY_KEY_FIELDS.filter((field) => !signedFields.includes(field));
  if (verifier && unsignedKeyFields.length > 0) {
    // Replays are recognised on id, phone and status; one of them unsigned lets a captured callback add
    // rows by changing it (bounded only by the store's maxEventsPerMessage).
    logger.warn?.(
      { unsigned: unsignedKeyFields },
      "webhook: signature.fields leaves part of the replay key unsigned; replays changing it are stored",
    );
  }

  const answer = (status: number, body: string, extra: Record<string, string> = {}): ReceiverResponse => ({
    status,
    body,
    headers: { ...TEXT, ...extra },
  });

  const refuse = (error: WebhookInputError): ReceiverResponse =>
    answer(
      error.httpStatus,
      `${error.field}: ${error.rule}`,
      error.httpStatus === 405 ? { allow: "GET, POST" } : {},
    );

  const fire = <E>(listener: ((event: E) => void | Promise<void>) | undefined, event: E, name: string) => {
    if (!listener) return;
    // Listeners belong to the application: their failures are logged and never change the answer,
    // because the callback is already stored and SMSC must not resend it.
    try {
      Promise.resolve(listener(event)).catch((error: unknown) => logListenerError(name, error));
    } catch (error) {
      logListenerError(name, error);
    }
  };
  const logListenerError = (name: string, error: unknown) =>
    logger.error?.({ listener: name, error: errorName(error) }, "webhook: listener failed");

  const handle = async (request: ReceivedRequest): Promise<ReceiverResponse> => {
    const receivedAt = now();
    let callback: SmscCallback;
    try {
      const fields = fieldsOf(readPairs(request));
      callback = parseCallback(fields);
      verifier?.verify(fields);
      if (verifier && callback.kind === "incoming") requireSignedId(fields, signedFields);
    } catch (error) {
      if (error instanceof WebhookInputError) return refuse(error);
      if (error instanceof WebhookSignatureError) {
        logger.warn?.({ reason: error.reason }, "webhook: callback refused, bad signature");
        return answer(403, error.message);
      }
      throw error;
    }

    try {
      if (callback.kind === "incoming") {
        const result = await options.store.recordIncoming(callback, receivedAt);
        if (!result.duplicate) fire(options.onIncoming, { sms: callback, result }, "onIncoming");
        return answer(200, "OK");
      }
      const result = await options.store.recordStatus(callback, receivedAt);
      // Listeners hear every callback once it is stored, even if the sink then fails: SMSC's retry of
      // it is a replay, which listeners are not told about again.
      if (!result.duplicate) fire(options.onStatus, { callback, result }, "onStatus");
      if (options.sink) {
        const { current } = result;
        // The sink hears the message's current state, not the raw callback: that is monotonic and
        // idempotent, so a replay (SMSC retrying after a 5xx) safely repeats it.
        try {
          await options.sink.markStatus({
            id: current.id,
            phone: current.phone,
            status: current.status,
            at: current.statusAt,
            source: "callback",
            ...(current.err !== undefined ? { err: current.err } : {}),
          });
        } catch (error) {
          throw new WebhookStoreError("status sink failed", { cause: error });
        }
      }
      return answer(200, "OK");
    } catch (error) {
      const message = error instanceof WebhookStoreError ? error.message : "store unavailable";
      logger.error?.({ error: errorName(error), id: callback.id }, `webhook: ${message}`);
      return answer(503, message, { "retry-after": "5" });
    }
  };

  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  return {
    maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    refuse,
    timedOut: (phase) =>
      phase === "store"
        ? // The write may still commit; SMSC's retry will then be answered as a replay.
          answer(503, "timed out storing the callback", { "retry-after": "5" })
        : refuse(new WebhookInputError("request", "timed out before the body arrived", 408)),
    tooLarge: () => refuse(new WebhookInputError("body", `must be at most ${maxBodyBytes} bytes`, 413)),
    async handle(request) {
      try {
        return await handle(request);
      } catch (error) {
        // Whatever slipped through is answered, never thrown into the server.
        logger.error?.({ error: errorName(error) }, "webhook: unexpected failure");
        return answer(500, "internal error");
      }
    },
  };
}

/**
 * A signed incoming SMS must carry its id in a signed field: the signature covers id, phone and status, not
 * the text, so without a signed id one captured callback could be replayed with any number of new texts
 * (and any `sms_id`) and each would be stored. With the id signed, replays deduplicate on (id, phone).
 */
function requireSignedId(fields: Readonly<Record<string, string>>, signed: readonly string[]): void {
  const id = fields["id"]?.trim() ?? "";
  if (id === "" || !signed.includes("id")) {
    throw new WebhookInputError(
      "id",
      "is required on a signed incoming SMS: the signature covers id, phone and status, not the text",
    );
  }
}

function readPairs(request: ReceivedRequest): FormPair[] {
  const method = request.method.toUpperCase();
  const queryStart = request.url.indexOf("?");
  const query = queryStart === -1 ? "" : request.url.slice(queryStart + 1);
  if (method === "GET") return decodeOrRefuse(query, "utf-8", "query");
  if (method !== "POST") throw new WebhookInputError("method", "must be GET or POST", 405);
  const mediaType = mediaTypeOf(request.contentType);
  if (!FORM_TYPES.has(mediaType)) {
    throw new WebhookInputError("content-type", "must be application/x-www-form-urlencoded", 415);
  }
  const charset = charsetOf(request.contentType) ?? "utf-8";
  // SMSC posts a form; a URL configured with its own query (e.g. ?account=…) adds those fields too.
  return [...decodeOrRefuse(request.body, charset, "body"), ...decodeOrRefuse(query, "utf-8", "query")];
}

function decodeOrRefuse(input: string | Uint8Array, charset: string, what: string): FormPair[] {
  try {
    return decodeForm(input, charset);
  } catch {
    throw new WebhookInputError(
      what === "body" ? "content-type" : what,
      `unsupported charset ${charset}`,
      415,
    );
  }
}

/** Name and message of an error and its cause; the callback secret never reaches a store or a sink. */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause ${error.cause.name}: ${error.cause.message})` : "";
    return `${error.name}: ${error.message}${cause}`;
  }
  return typeof error;
}
