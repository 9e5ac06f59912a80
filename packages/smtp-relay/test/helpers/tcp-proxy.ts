import { type AddressInfo, connect, createServer, type Socket } from "node:net";

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A loopback TCP proxy in front of PostgreSQL that a test can break in two ways without
 * touching the shared server: `cut()` drops every connection and refuses new ones (the
 * database is down), `stall()` keeps connections open but stops carrying bytes (the
 * database hangs). `restore()` undoes either.
 */
export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1") {
  const pairs = new Set<Pair>();
  let mode: "up" | "cut" | "stalled" = "up";

  const flow = (pair: Pair) => {
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
  };
  const halt = (pair: Pair) => {
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
  };
  const drop = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };

  const server = createServer((client) => {
    if (mode === "cut") {
      client.destroy();
      return;
    }
    const pair: Pair = { client, upstream: connect(targetPort, targetHost) };
    pairs.add(pair);
    client.on("error", () => drop(pair)).on("close", () => drop(pair));
    pair.upstream.on("error", () => drop(pair)).on("close", () => drop(pair));
    if (mode === "up") flow(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      mode = "cut";
      for (const pair of pairs) drop(pair);
    },
    stall() {
      mode = "stalled";
      for (const pair of pairs) halt(pair);
    },
    restore() {
      if (mode === "stalled") for (const pair of pairs) flow(pair);
      mode = "up";
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) drop(pair);
        server.close(() => resolve());
      }),
  };
}
