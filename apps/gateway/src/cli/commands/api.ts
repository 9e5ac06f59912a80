import type {
  BalanceResult,
  CostResult,
  SendResult,
  SmscClient,
  SmscMethod,
  StatusResult,
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

/**
 * Flags arrive as the strings the user typed. The client validates every request against the catalog's
 * schemas before anything is sent (a bad value becomes SmscValidationError → exit 2), so the static type is
 * asserted here and checked there, at run time.
 */
function checkedByCore<T>(request: Record<string, string>): T {
  return request as unknown as T;
}

function withoutRaw<T extends { raw: unknown }>(result: T): Omit<T, "raw"> {
  const { raw: _raw, ...rest } = result;
  return rest;
}

export async function runSend(context: CliContext, flags: CatalogFlag[], values: Record<string, unknown>) {
  const request = requestFromFlags(flags, values);
  const result: SendResult = await withClient(context, (client) =>
    client.send(checkedByCore<Parameters<SmscClient["send"]>[0]>(request)),
  );
  context.output.result(withoutRaw(result), () => {
    const lines = [
      `sent: id ${result.id}, ${result.cnt} SMS${result.cost !== undefined ? `, cost ${result.cost}` : ""}${
        result.balance !== undefined ? `, balance ${result.balance}` : ""
      }`,
    ];
    for (const problem of result.errors ?? []) lines.push(`  ${problem.phone}: status ${problem.status}`);
    return lines.join("\n");
  });
}

export async function runCost(context: CliContext, flags: CatalogFlag[], values: Record<string, unknown>) {
  const request = requestFromFlags(flags, values);
  const result: CostResult = await withClient(context, (client) =>
    client.cost(checkedByCore<Parameters<SmscClient["cost"]>[0]>(request)),
  );
  context.output.result(withoutRaw(result), () => `cost ${result.cost} for ${result.cnt} SMS`);
}

export async function runStatus(context: CliContext, flags: CatalogFlag[], values: Record<string, unknown>) {
  const request = requestFromFlags(flags, values);
  const result: StatusResult = await withClient(context, (client) =>
    client.status(checkedByCore<Parameters<SmscClient["status"]>[0]>(request)),
  );
  context.output.result(withoutRaw(result), () => {
    const details = [
      result.final ? "final" : "not final",
      result.lastDate ? `last change ${result.lastDate.toISOString()}` : undefined,
      result.err !== undefined ? `err ${result.err}` : undefined,
      result.phone ? `phone ${result.phone}` : undefined,
      result.cost !== undefined ? `cost ${result.cost}` : undefined,
    ].filter(Boolean);
    return `status ${result.status} (${result.statusName}), ${details.join(", ")}`;
  });
}

export async function runBalance(context: CliContext) {
  const result: BalanceResult = await withClient(context, (client) => client.balance());
  context.output.result(withoutRaw(result), () => `balance ${result.balance}`);
}
