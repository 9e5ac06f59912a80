/**
 * Message kinds (catalog `messageKinds`): which option turns each on, and what the kind implies. One home
 * for the rule "a kind is on when its option carries one of its values", used by validation and by the
 * simulator.
 */
import { MESSAGE_KINDS } from "./generated/index.js";

export interface MessageKindInfo {
  /** `sms` for a plain message, else the catalog kind name. */
  name: string;
  /** The status `type` number (0 for plain SMS). */
  type: number;
  ignoresMes: boolean;
}

const PLAIN_SMS: MessageKindInfo = { name: "sms", type: 0, ignoresMes: false };

const KINDS = Object.entries(MESSAGE_KINDS).map(([name, kind]) => ({
  option: kind.option as string,
  values: kind.values as readonly string[],
  kind: { name, type: kind.statusType ?? 0, ignoresMes: kind.ignoresMes } satisfies MessageKindInfo,
}));

/** The options that turn a kind on: a request carrying none of them (most do) is a plain SMS at a glance. */
const KIND_OPTIONS = new Set(KINDS.map((entry) => entry.option));

/** Names of the kinds a request turns on (an option set to one of the kind's values), in catalog order. */
export function activeKinds(fields: Readonly<Record<string, unknown>>): string[] {
  const active: string[] = [];
  if (!Object.keys(fields).some((name) => KIND_OPTIONS.has(name))) return active;
  for (const entry of KINDS) {
    const value = fields[entry.option];
    if (value !== undefined && value !== null && entry.values.includes(String(value)))
      active.push(entry.kind.name);
  }
  return active;
}

/** The kind a (valid) request selects: the first one turned on, else a plain SMS. */
export function messageKindOf(fields: Readonly<Record<string, unknown>>): MessageKindInfo {
  for (const entry of KINDS) {
    const value = fields[entry.option];
    if (value !== undefined && entry.values.includes(String(value))) return entry.kind;
  }
  return PLAIN_SMS;
}
