import type { CallbackTarget } from "./accounts.js";
import type { SimMessage } from "./messages.js";
import { FormPoster } from "./post-form.js";
import {
  CALLBACK_SIGNATURE,
  type CallbackFields,
  callbackSignature,
  callbackSignatureField,
} from "./protocol.js";

/**
 * The signature form fields SMSC adds to a status callback: one per algorithm of the catalog's
 * CALLBACK_SIGNATURE (md5 and sha1 of `id:phone:status:secret`), computed by core.
 */
export function signCallback(fields: CallbackFields, secret: string): Readonly<Record<string, string>> {
  return Object.fromEntries(
    CALLBACK_SIGNATURE.algorithms.map((algorithm) => [
      callbackSignatureField(algorithm),
      callbackSignature(fields, secret, { algorithm }),
    ]),
  );
}

export interface CallbackOptions {
  /** Real-time delays between attempts after a non-200 answer; the last one repeats (default 200, 1000, 5000 ms). */
  retryDelaysMs?: number[];
  /** Attempts per callback before giving up (default 50: "until 200", but bounded). */
  maxAttempts?: number;
  /** Per-attempt timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Send each delivered callback a second time: `true`, or a probability 0..1. */
  duplicate?: boolean | number;
  /** Hold intermediate statuses and send them after the final one, as a late network would. */
  reorder?: boolean;
  /** Which status changes are reported (default `all`: handed to operator, then the final status). */
  statuses?: "all" | "final";
  /**
   * Callbacks in flight at once (default 16); the others wait their turn in order. A send to hundreds of
   * recipients changes hundreds of statuses at once: one connection each would cost the simulator (and
   * the handler) far more than the callbacks themselves.
   */
  maxConcurrent?: number;
}

export interface CallbackAttempt {
  id: string;
  phone: string;
  status: number;
  err: number;
  url: string;
  attempt: number;
  /** True for the extra copy sent by the `duplicate` option. */
  duplicate: boolean;
  /** True when the receiver answered 200. */
  delivered: boolean;
  httpStatus?: number;
  error?: string;
  /** Wall-clock ms when the attempt finished. */
  at: number;
  /** The form fields sent (signatures included, the secret never). */
  fields: Record<string, string>;
}

interface Pending {
  fields: Record<string, string>;
  url: string;
  duplicate: boolean;
  attempt: number;
  meta: { id: string; phone: string; status: number; err: number };
  /** Held (reordered) callbacks that go out once this one is answered or given up. */
  heldBehind?: Pending[] | undefined;
}

const DEFAULT_RETRY_DELAYS = [200, 1000, 5000];
const DEFAULT_MAX_CONCURRENT = 16;

/** POSTs status callbacks to the account's handler and retries until it answers 200. */
export class CallbackDispatcher {
  private readonly log: CallbackAttempt[] = [];
  private readonly held = new Map<string, Pending[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Callbacks waiting for one of the `maxConcurrent` places, oldest first (read from `queueHead`). */
  private queue: (Pending | undefined)[] = [];
  private queueHead = 0;
  private inFlight = 0;
  private closed = false;
  private readonly poster: FormPoster;

  constructor(
    private options: CallbackOptions,
    private readonly isFinal: (status: number) => boolean,
    private readonly random: () => number = Math.random,
  ) {
    // Sockets per handler host: as many as callbacks in flight (a later configure() above that queues in the agent).
    this.poster = new FormPoster(
      Math.max(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_CONCURRENT),
    );
  }

  configure(options: CallbackOptions): void {
    this.options = options;
  }

  /** Called on every status change of a message whose account has a status handler. */
  statusChanged(message: SimMessage, target: CallbackTarget, at: number): void {
    const final = this.isFinal(message.status);
    if (this.options.statuses === "final" && !final) return;
    const fields: Record<string, string> = {
      id: message.id,
      phone: message.phone,
      status: String(message.status),
      err: String(message.err),
      cost: message.cost.toFixed(2),
      sender_id: message.sender,
      ts: String(Math.floor(at / 1000)),
    };
    if (target.secret !== undefined) Object.assign(fields, signCallback(fields, target.secret));
    const pending: Pending = {
      fields,
      url: target.url,
      duplicate: false,
      attempt: 0,
      meta: { id: message.id, phone: message.phone, status: message.status, err: message.err },
    };
    const key = `${message.login}\u0000${message.id}\u0000${message.phone}`;
    if (this.options.reorder && !final) {
      const list = this.held.get(key) ?? [];
      list.push(pending);
      this.held.set(key, list);
      return;
    }
    const held = this.held.get(key);
    if (held) {
      this.held.delete(key);
      pending.heldBehind = held;
    }
    this.dispatch(pending);
  }

  attempts(): readonly CallbackAttempt[] {
    return this.log;
  }

  /** Callbacks not yet answered with 200 (in flight, waiting their turn or waiting for a retry). */
  get outstanding(): number {
    return this.inFlight + (this.queue.length - this.queueHead) + this.timers.size;
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue = [];
    this.queueHead = 0;
    this.held.clear();
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    this.reset();
    this.poster.close();
  }

  private dispatch(pending: Pending): void {
    if (this.closed) return;
    if (this.inFlight >= (this.options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT)) {
      this.queue.push(pending);
      return;
    }
    this.inFlight++;
    void this.attempt(pending).finally(() => {
      this.inFlight--;
      this.next();
    });
  }

  /** Starts the longest-waiting callback, if any. */
  private next(): void {
    if (this.queueHead >= this.queue.length) return;
    const pending = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.dispatch(pending);
  }

  private async attempt(pending: Pending): Promise<void> {
    pending.attempt++;
    let httpStatus: number | undefined;
    let error: string | undefined;
    try {
      httpStatus = await this.poster.post(pending.url, pending.fields, this.options.timeoutMs ?? 5000);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    if (this.closed) return;
    const delivered = httpStatus === 200;
    const record: CallbackAttempt = {
      ...pending.meta,
      url: pending.url,
      attempt: pending.attempt,
      duplicate: pending.duplicate,
      delivered,
      at: Date.now(),
      fields: { ...pending.fields },
    };
    if (httpStatus !== undefined) record.httpStatus = httpStatus;
    if (error !== undefined) record.error = error;
    this.log.push(record);
    if (delivered) {
      if (!pending.duplicate && this.shouldDuplicate()) {
        const { heldBehind: _later, ...copy } = pending;
        this.dispatch({ ...copy, duplicate: true, attempt: 0 });
      }
      this.releaseHeld(pending);
      return;
    }
    if (pending.attempt >= (this.options.maxAttempts ?? 50)) {
      this.releaseHeld(pending);
      return;
    }
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
    const delay = delays[Math.min(pending.attempt - 1, delays.length - 1)] ?? 1000;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dispatch(pending);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private releaseHeld(pending: Pending): void {
    const later = pending.heldBehind;
    pending.heldBehind = undefined;
    for (const earlier of later ?? []) this.dispatch(earlier);
  }

  private shouldDuplicate(): boolean {
    const duplicate = this.options.duplicate;
    if (duplicate === undefined || duplicate === false) return false;
    if (duplicate === true) return true;
    return this.random() < duplicate;
  }
}
