import {
  type MethodRequestMap,
  type MethodResultMap,
  SMSC_METHODS,
  type SmscClient,
  type SmscMethod,
} from "@smsc-kit/core";
import type { Command } from "commander";
import { type CatalogFlag, catalogFlags, requestFromFlags } from "../catalog-options.js";
import type { CliContext } from "../context.js";

/** Adds the catalog's flags for `method` to a command and returns them for building the request. */
export function withCatalogFlags(command: Command, method: SmscMethod): CatalogFlag[] {
  const flags = catalogFlags(method);
  for (const flag of flags) command.addOption(flag.option);
  return flags;
}

async function withClient<T>(context: CliContext, run: (client: SmscClient) => Promise<T>): Promise<T> {
  const client = await context.client();
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

function withoutRaw<T extends { raw: unknown }>(result: T): Omit<T, "raw"> {
  const { raw: _raw, ...rest } = result;
  return rest;
}

type Formatter<M extends SmscMethod> = (result: MethodResultMap[M]) => string;

/**
 * Human output of the methods that have a way of their own to be read; every other method (one SMSC added
 * and the catalog describes) prints its decoded fields one per line.
 */
const HUMAN: { [M in SmscMethod]?: Formatter<M> } = {
  send: (result) => {
    const lines = [
      `sent: id ${result.id}, ${result.cnt} SMS${result.cost !== undefined ? `, cost ${result.cost}` : ""}${
        result.balance !== undefined ? `, balance ${result.balance}` : ""
      }`,
    ];
    for (const problem of result.errors ?? []) lines.push(`  ${problem.phone}: status ${problem.status}`);
    return lines.join("\n");
  },
  cost: (result) => `cost ${result.cost} for ${result.cnt} SMS`,
  status: (result) => {
    const details = [
      result.final ? "final" : "not final",
      result.lastDate ? `last change ${result.lastDate.toISOString()}` : undefined,
      result.err !== undefined ? `err ${result.err}` : undefined,
      result.phone ? `phone ${result.phone}` : undefined,
      result.cost !== undefined ? `cost ${result.cost}` : undefined,
    ].filter(Boolean);
    return `status ${result.status} (${result.statusName}), ${details.join(", ")}`;
  },
  balance: (result) => `balance ${result.balance}`,
};

function fieldLines(method: SmscMethod, result: Record<string, unknown>): string {
  const lines = SMSC_METHODS[method].resultFields
    .filter((field) => result[field.property] !== undefined)
    .map((field) => {
      const value = result[field.property];
      const text =
        value instanceof Date
          ? value.toISOString()
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
      return `${field.name}: ${text}`;
    });
  return lines.length > 0 ? lines.join("\n") : `${method}: ok`;
}

/**
 * Runs one SMSC method from its flags. Flags arrive as the strings the user typed; the client validates
 * every request against the catalog's schemas before anything is sent (a bad value becomes
 * SmscValidationError → exit 2), so the static request type is asserted here and checked there.
 */
export async function runMethod<M extends SmscMethod>(
  context: CliContext,
  method: M,
  flags: CatalogFlag[],
  values: Record<string, unknown>,
): Promise<void> {
  const request = requestFromFlags(flags, values) as unknown as MethodRequestMap[M];
  const result = await withClient(context, (client) => client.call(method, request));
  const human = HUMAN[method] as Formatter<M> | undefined;
  context.output.result(withoutRaw(result), () =>
    human !== undefined ? human(result) : fieldLines(method, result as unknown as Record<string, unknown>),
  );
}
