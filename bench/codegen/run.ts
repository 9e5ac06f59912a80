// Generator speed: tools/codegen (WSDL + catalog → packages/core/src/generated, with both cross-checks and the
// wsdl-tsclient front end inside) side by side with the anchor, wsdl-tsclient 1.7.1's parseAndGenerate on the
// same spec/smsc.wsdl. Both write their output to a temp dir on each iteration. Bounded: a few seconds.
// Run: cd bench && pnpm exec tsx codegen/run.ts

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { catalogJsonSchema, emitAll, emitDocs, loadModel } from "../../tools/codegen/src/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SPEC = path.join(ROOT, "spec");
// wsdl-tsclient is a dependency of tools/codegen, not of bench: resolve it from there.
const requireFromCodegen = createRequire(path.join(ROOT, "tools/codegen/package.json"));
const { parseAndGenerate } = requireFromCodegen("wsdl-tsclient") as {
  parseAndGenerate(wsdl: string, out: string, options: { esm: boolean; quiet: boolean }): Promise<void>;
};

const WARMUP = 3;
const RUNS = 15;

async function ours(out: string): Promise<void> {
  const model = await loadModel(SPEC);
  await Promise.all([...emitAll(model)].map(([name, content]) => writeFile(path.join(out, name), content)));
  await writeFile(path.join(out, "catalog.schema.json"), catalogJsonSchema());
  await writeFile(path.join(out, "api.md"), emitDocs(model));
}

const FILES = emitAll(await loadModel(SPEC)).size;

async function anchor(out: string): Promise<void> {
  await parseAndGenerate(path.join(SPEC, "smsc.wsdl"), out, { esm: true, quiet: true });
}

async function once(fn: (out: string) => Promise<void>, label: string): Promise<number> {
  const out = await mkdtemp(path.join(tmpdir(), `bench-codegen-${label}-`));
  const started = performance.now();
  await fn(out);
  const elapsed = performance.now() - started;
  await rm(out, { recursive: true, force: true });
  return elapsed;
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? Number.NaN;

// Interleaved, alternating which side goes first, so neither always runs on a warmer process.
const oursTimes: number[] = [];
const anchorTimes: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const pair =
    i % 2 === 0
      ? [await once(ours, "ours"), await once(anchor, "anchor")]
      : [await once(anchor, "anchor"), await once(ours, "ours")].reverse();
  if (i < WARMUP) continue;
  oursTimes.push(pair[0] ?? Number.NaN);
  anchorTimes.push(pair[1] ?? Number.NaN);
}
oursTimes.sort((a, b) => a - b);
anchorTimes.sort((a, b) => a - b);
const oursMedian = median(oursTimes);
const anchorMedian = median(anchorTimes);
console.log(
  `spec/smsc.wsdl (7 operations) + spec/catalog.yaml, ${RUNS} runs after ${WARMUP} warm-up, in one process`,
);
console.log(
  `tools/codegen (parse + cross-check + emit ${FILES} files + docs/api.md + schema): median ${oursMedian.toFixed(1)} ms, ` +
    `min ${oursTimes[0]?.toFixed(1)} ms, max ${oursTimes.at(-1)?.toFixed(1)} ms`,
);
console.log(
  `wsdl-tsclient 1.7.1 parseAndGenerate (anchor):          median ${anchorMedian.toFixed(1)} ms, ` +
    `min ${anchorTimes[0]?.toFixed(1)} ms, max ${anchorTimes.at(-1)?.toFixed(1)} ms`,
);
console.log(`ratio (anchor / ours, higher = ours faster): ${(anchorMedian / oursMedian).toFixed(2)}x`);
