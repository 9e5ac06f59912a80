/** Adapts the receiver to node's `http` `(req, res)`: body limit while reading, one deadline per request. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Receiver, ReceiverResponse } from "./receiver.js";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createNodeHandler(receiver: Receiver): NodeHandler {
  return (req, res) => {
    let answered = false;
    let bodyRead = false;
    const send = (response: ReceiverResponse, closeConnection = false) => {
      if (answered) return;
      answered = true;
      clearTimeout(deadline);
      if (res.headersSent || res.destroyed) return;
      res.writeHead(response.status, {
        ...response.headers,
        "content-length": Buffer.byteLength(response.body),
        ...(closeConnection ? { connection: "close" } : {}),
      });
      res.end(response.body);
    };
    // The rest of a refused body is not worth reading: answer, then drop the connection.
    const refuseAndClose = (response: ReceiverResponse) => {
      send(response, true);
      res.once("finish", () => req.destroy());
    };

    const deadline = setTimeout(() => {
      if (bodyRead) send(receiver.timedOut("store"));
      else refuseAndClose(receiver.timedOut("body"));
    }, receiver.requestTimeoutMs);
    deadline.unref();

    req.on("error", () => {
      // A client that vanished mid-body: nothing was stored, nobody is left to answer.
      clearTimeout(deadline);
      answered = true;
    });

    const limit = receiver.maxBodyBytes;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      refuseAndClose(receiver.tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (answered) return;
      size += chunk.length;
      if (size > limit) {
        refuseAndClose(receiver.tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (answered) return;
      bodyRead = true;
      void receiver
        .handle({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          contentType: req.headers["content-type"],
          body: Buffer.concat(chunks, size),
        })
        .then((response) => send(response));
    });
  };
}
