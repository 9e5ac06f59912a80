import { isIP } from "node:net";

/**
 * Whether a listen address only accepts connections from this machine: `localhost`, 127.0.0.0/8, `::1`
 * and IPv4-mapped loopback. Unspecified addresses (`0.0.0.0`, `::`) and every other name are not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === "localhost") return true;
  if (isIP(lower) === 4) return lower.startsWith("127.");
  if (isIP(lower) === 6) return lower === "::1" || /^::ffff:127\./.test(lower);
  return false;
}
