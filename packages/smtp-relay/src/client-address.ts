/**
 * The "client address" that per-address limits count (connections, AUTH failures, lockouts). An IPv4 client
 * is its address. An IPv6 client is its /64: one subscriber line or server usually gets a whole /64, so
 * counting single IPv6 addresses would give anyone 2^64 fresh addresses to guess passwords from. An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack listener sees) is the IPv4 client.
 */
import { isIPv4, isIPv6 } from "node:net";

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of an IPv6 address, "::" expanded (an embedded IPv4 tail counts as two groups). */
function groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const part = (text: string) => (text === "" ? [] : text.split(":"));
  const withV4 = (list: string[]) => {
    const last = list.at(-1);
    if (last === undefined || !isIPv4(last)) return list;
    const [a = 0, b = 0, c = 0, d = 0] = last.split(".").map(Number);
    return [...list.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  const left = withV4(part(head));
  const right = withV4(part(tail ?? ""));
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
}

export function clientKey(remoteAddress: string): string {
  const address = remoteAddress.split("%")[0] ?? remoteAddress; // no zone index (fe80::1%eth0)
  const mapped = MAPPED_IPV4.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return remoteAddress;
  return `${groups(address).slice(0, 4).join(":")}::/64`;
}

/** Is a listen address reachable only from this machine (127.0.0.0/8, ::1, localhost)? */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || (isIPv4(bare) && bare.startsWith("127."));
}
