/** Adapts the receiver to the Fetch API `(Request) => Promise<Response>` (Node, Deno, Bun, workers). */
import { WebhookInputError } from "./errors.js";
import type { Receiver, ReceiverResponse } from "./receiver.js";

export type FetchHandler = (request: Request) => Promise<Response>;

export function createFetchHandler(receiver: Receiver): FetchHandler {
  return async (request) => {
    let bodyRead = false;
    let timer: NodeJS.Timeout | undefined;
    const reader = request.body?.getReader();
    const timedOut = new Promise<ReceiverResponse>((resolve) => {
      timer = setTimeout(() => {
        void reader?.cancel().catch(() => undefined);
        resolve(receiver.timedOut(bodyRead ? "store" : "body"));
      }, receiver.requestTimeoutMs);
    });

    const work = async (): Promise<ReceiverResponse> => {
      const limit = receiver.maxBodyBytes;
      if (Number(request.headers.get("content-length") ?? 0) > limit) {
        void reader?.cancel().catch(() => undefined);
        return receiver.tooLarge();
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (reader) {
        for (;;) {
          const chunk = await reader.read().catch(() => undefined);
          if (chunk === undefined) return receiver.refuse(new WebhookInputError("body", "could not be read"));
          if (chunk.done) break;
          size += chunk.value.byteLength;
          if (size > limit) {
            void reader.cancel().catch(() => undefined);
            return receiver.tooLarge();
          }
          chunks.push(chunk.value);
        }
      }
      bodyRead = true;
      const url = new URL(request.url);
      return receiver.handle({
        method: request.method,
        url: url.pathname + url.search,
        contentType: request.headers.get("content-type") ?? undefined,
        body: Buffer.concat(chunks, size),
      });
    };

    try {
      const response = await Promise.race([work(), timedOut]);
      return new Response(response.body, { status: response.status, headers: response.headers });
    } finally {
      clearTimeout(timer);
    }
  };
}
