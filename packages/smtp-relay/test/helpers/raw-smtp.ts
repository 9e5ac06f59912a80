import { connect, type Socket } from "node:net";

export interface SmtpReply {
  code: number;
  text: string;
}

/**
 * A bare SMTP conversation over a TCP socket, for the abuse cases a well-behaved client
 * (nodemailer) will not produce: commands without AUTH, oversize DATA without SIZE,
 * malformed MIME sent verbatim.
 */
export class RawSmtpSession {
  private buffer = "";
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {
      this.ended = true;
      this.wake();
    });
  }

  /** `localAddress` (e.g. 127.0.0.2) makes the client look like another host on loopback. */
  static async open(
    port: number,
    host = "127.0.0.1",
    localAddress?: string,
  ): Promise<{ session: RawSmtpSession; greeting: SmtpReply }> {
    const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const session = new RawSmtpSession(socket);
    return { session, greeting: await session.read() };
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Reads one (possibly multi-line) reply. */
  async read(): Promise<SmtpReply> {
    for (;;) {
      const lines = this.buffer.split("\r\n");
      for (let i = 0; i < lines.length - 1; i++) {
        const line = lines[i]!;
        if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
          const replyLines = lines.slice(0, i + 1);
          this.buffer = lines.slice(i + 1).join("\r\n");
          return { code: Number(line.slice(0, 3)), text: replyLines.map((l) => l.slice(4)).join("\n") };
        }
      }
      if (this.ended)
        throw new Error(`connection closed before a reply; buffered: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string): Promise<SmtpReply> {
    this.write(`${line}\r\n`);
    return this.read();
  }

  /** Waits until the server closes the connection. */
  async closedByServer(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}

export function plainAuth(user: string, password: string): string {
  return `AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString("base64")}`;
}
