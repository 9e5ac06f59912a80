#!/usr/bin/env node
import { CommanderError } from "commander";
import { runSimulatorCli } from "./cli-main.js";

runSimulatorCli(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`smsc-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
