/**
 * A latency profile for load tests: every SOAP request waits a time drawn uniformly from
 * [minMs, maxMs] before it is answered, as a real SMSC that answers in 100–300 ms would. The wait
 * happens while the request counts as in flight, so the simultaneous-request rules see it. Fault
 * rules' `latencyMs` comes on top.
 */
export interface LatencyProfile {
  minMs: number;
  maxMs: number;
}

/** Longest wait a profile may ask for (the same bound as a fault rule's latencyMs). */
const MAX_LATENCY_MS = 600_000;

export class LatencyProfileError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = "LatencyProfileError";
  }
}

/** Checks a profile's bounds, naming the field at fault. */
export function checkLatencyProfile(profile: LatencyProfile, field = "latency"): LatencyProfile {
  const { minMs, maxMs } = profile;
  for (const [name, value] of [
    ["minMs", minMs],
    ["maxMs", maxMs],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 0 && value <= MAX_LATENCY_MS)) {
      throw new LatencyProfileError(
        `${field}.${name}`,
        "range",
        `${field}.${name} must be a whole number of milliseconds 0..${MAX_LATENCY_MS}`,
      );
    }
  }
  if (minMs > maxMs) {
    throw new LatencyProfileError(
      `${field}`,
      "min-not-above-max",
      `${field}: MIN (${minMs}) is above MAX (${maxMs})`,
    );
  }
  return profile;
}

/** `MIN-MAX` in milliseconds (`100-300`), or one number for a fixed wait (`150`). */
export function parseLatencySpec(value: string, field = "latency"): LatencyProfile {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  if (match === null) {
    throw new LatencyProfileError(field, "format", `${field} must be MIN-MAX in milliseconds, e.g. 100-300`);
  }
  const minMs = Number(match[1]);
  return checkLatencyProfile({ minMs, maxMs: match[2] === undefined ? minMs : Number(match[2]) }, field);
}

/** The wait for one request: uniform over [minMs, maxMs]. */
export function drawLatency(profile: LatencyProfile, random: () => number = Math.random): number {
  return profile.minMs + Math.floor(random() * (profile.maxMs - profile.minMs + 1));
}
