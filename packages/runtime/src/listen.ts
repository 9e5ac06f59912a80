/**
 * Starting and stopping a listening server, the same way in every package (simulator, SMTP relay, webhook,
 * gateway). Node has had what this needs built in since 18.2 (`closeIdleConnections`,
 * `closeAllConnections`), so no library (stoppable, http-terminator) is pulled in for it.
 */
import type { Server as HttpServer } from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";

export interface ListenOn {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number | undefined;
  /** Default 127.0.0.1: nothing listens beyond loopback unless its caller says so. */
  host?: string | undefined;
}

export interface Listening {
  /** The port actually bound (the one asked for, or the free one the OS chose for 0). */
  port: number;
  host: string;
  /** `http://host:port`, with an IPv6 host in brackets. */
  origin: string;
}

/**
 * Listens on `port` and `host` (a server's own options can be passed as they are); rejects with the listen
 * error (EADDRINUSE, EACCES) instead of leaving an "error" event nobody handles.
 */
export async function listen(server: NetServer, on: ListenOn = {}): Promise<Listening> {
  const port = on.port ?? 0;
  const host = on.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, host, origin: `http://${urlHost(host)}:${bound}` };
}

/** A host as it stands in a URL: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export interface CloseOptions {
  /**
   * What happens to open connections: "idle" (default) closes keep-alive sockets with no request and lets
   * requests under way finish; "all" cuts every connection, hung ones included (the simulator's faults hold
   * requests on purpose).
   */
  connections?: "idle" | "all";
  /** Reject when the server was not listening (default false: a second close is harmless). */
  strict?: boolean;
}

/** Stops accepting and resolves once the server is closed. */
export function closeServer(server: HttpServer, options: CloseOptions = {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error && options.strict ? reject(error) : resolve()));
    if (options.connections === "all") server.closeAllConnections();
    else server.closeIdleConnections();
  });
}
