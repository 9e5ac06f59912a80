import { createServer } from "node:net";

/** Listens on `preferred` (or an ephemeral port when it is taken or 0) just long enough to learn a free port. */
export async function freePort(host: string, preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, host, () => {
        const address = server.address();
        const chosen = typeof address === "object" && address ? address.port : undefined;
        server.close(() => resolve(chosen));
      });
    });
  return (preferred !== 0 ? await tryPort(preferred) : undefined) ?? (await tryPort(0)) ?? 0;
}
