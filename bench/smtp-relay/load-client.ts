/**
 * The load generator, run as a child process so that the SMTP client and the server
 * under test each get a core of their own instead of sharing one JavaScript thread.
 * Sends `count` mails through nodemailer's pooled SMTP transport and reports back.
 */
import { createTransport } from "nodemailer";

export interface LoadRequest {
  port: number;
  count: number;
  offset: number;
  connections: number;
  user: string;
  pass: string;
  body: string;
}

export interface LoadResult {
  seconds: number;
  accepted: number;
  firstReply: string;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const transport = createTransport({
    pool: true,
    host: "127.0.0.1",
    port: request.port,
    secure: false,
    ignoreTLS: true,
    auth: { user: request.user, pass: request.pass },
    maxConnections: request.connections,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  const started = process.hrtime.bigint();
  const replies = await Promise.all(
    Array.from({ length: request.count }, (_, i) =>
      transport
        .sendMail({
          from: "monitor@example.org",
          to: `7999${String(request.offset + i).padStart(7, "0")}@sms.example.com`,
          subject: "disk",
          text: request.body,
        })
        .then(
          (info) => info.response,
          (error: Error) => error.message,
        ),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transport.close();
  return {
    seconds,
    accepted: replies.filter((reply) => reply.startsWith("250")).length,
    firstReply: replies[0] ?? "",
  };
}

process.once("message", (request: LoadRequest) => {
  run(request).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
