import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConcurrencyProxy {
  origin: string;
  /** The most requests that were open through the proxy at one moment. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the simulator that counts the requests open at once: an independent measure
 * of what every worker process together keeps in flight under the one SMSC login of the test.
 */
export async function startConcurrencyProxy(target: string): Promise<ConcurrencyProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((incoming, outgoing) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on("end", finish);
        answer.on("error", finish);
      },
    );
    forwarded.on("error", () => {
      finish();
      outgoing.destroy();
    });
    outgoing.on("close", finish);
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
