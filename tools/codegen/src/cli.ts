import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EXIT_CATALOG_INCOMPLETE, runDiff } from "./diff-command.js";
import { emitDocs } from "./emit/docs.js";
import { CATALOG_SCHEMA_FILE, catalogJsonSchema, emitAll, loadModel } from "./generate.js";
import { SpecError } from "./spec-error.js";

// pnpm gen            → write packages/core/src/generated/ and spec/catalog.schema.json
// pnpm gen:check      → exit 1 naming every stale or missing file (nothing written)
// pnpm gen:diff <dir> → semantic diff from spec/ (baseline) to <dir> (the new spec), and the bump it implies

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const USAGE = [
  "usage: tsx tools/codegen/src/cli.ts [--check | --diff <new-spec-dir> [--write-changeset] | --model] [--spec <dir>] [--out <dir>]",
  "  (no flag)      write packages/core/src/generated/, docs/api.md and spec/catalog.schema.json",
  "  --check        write nothing; exit 1 naming every stale, missing or foreign file",
  "  --diff <dir>   semantic diff from --spec (baseline) to <dir> (the new spec) and the changeset bump it implies;",
  "                 while <dir>'s catalog lags its WSDL: the WSDL changes and the catalog entries still to write",
  "  --write-changeset  with --diff: write .changeset/spec-<digest>.md with the implied bump",
  "  --changeset-dir <dir>  where --write-changeset writes (default: .changeset/)",
  "  --model        print the intermediate model (JSON) that every output is emitted from",
  "  --spec <dir>   spec directory (default: spec/)",
  "  --out <dir>    output directory (default: packages/core/src/generated/)",
  "  --docs <file>  the generated API reference (default: docs/api.md, unless --out is given)",
  `exit codes: 0 ok, 1 stale (--check), 2 spec error or bad arguments, ${EXIT_CATALOG_INCOMPLETE} catalog incomplete (--diff)`,
];

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}

async function expectedFiles(
  specDir: string,
  outDir: string,
  docsFile: string | undefined,
): Promise<Map<string, string>> {
  const model = await loadModel(specDir);
  const files = new Map<string, string>();
  for (const [name, content] of emitAll(model)) files.set(path.join(outDir, name), content);
  files.set(path.join(specDir, CATALOG_SCHEMA_FILE), catalogJsonSchema());
  if (docsFile !== undefined) files.set(docsFile, emitDocs(model));
  return files;
}

export async function run(argv: readonly string[], log: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      help: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      "write-changeset": { type: "boolean", default: false },
      "changeset-dir": { type: "string" },
      model: { type: "boolean", default: false },
      diff: { type: "string" },
      spec: { type: "string" },
      out: { type: "string" },
      docs: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    for (const line of USAGE) log(line);
    return 0;
  }
  const specDir = path.resolve(values.spec ?? path.join(ROOT, "spec"));
  const outDir = path.resolve(values.out ?? path.join(ROOT, "packages/core/src/generated"));
  // docs/api.md belongs to the repository's own spec: written by default only when --out is not redirected.
  const docsFile =
    values.docs !== undefined
      ? path.resolve(values.docs)
      : values.out === undefined
        ? path.join(ROOT, "docs/api.md")
        : undefined;
  const rel = (p: string) => path.relative(process.cwd(), p) || p;

  const diffTarget = values.diff ?? (positionals.length > 0 ? positionals[0] : undefined);
  if (diffTarget !== undefined) {
    return runDiff(
      {
        baseline: specDir,
        next: path.resolve(diffTarget),
        changesetDir: values["write-changeset"]
          ? path.resolve(values["changeset-dir"] ?? path.join(ROOT, ".changeset"))
          : undefined,
      },
      log,
    );
  }

  if (values.model) {
    // The intermediate model every target is emitted from, for inspection or for other tools.
    log(JSON.stringify(await loadModel(specDir), null, 2));
    return 0;
  }

  const started = performance.now();
  const files = await expectedFiles(specDir, outDir, docsFile);
  if (values.check) {
    const stale: string[] = [];
    for (const [file, content] of files) {
      if ((await readOrNull(file)) !== content) stale.push(file);
    }
    const known = new Set([...files.keys()].map((f) => path.basename(f)));
    const extra = (await readdir(outDir).catch(() => [] as string[])).filter((f) => !known.has(f));
    for (const file of stale) log(`stale: ${rel(file)} (run \`pnpm gen\`)`);
    for (const file of extra)
      log(`unexpected: ${rel(path.join(outDir, file))} (not written by tools/codegen)`);
    if (stale.length > 0 || extra.length > 0) return 1;
    log(`generated files are up to date (${files.size} files)`);
    return 0;
  }
  await mkdir(outDir, { recursive: true });
  let written = 0;
  for (const [file, content] of files) {
    if ((await readOrNull(file)) === content) continue;
    await writeFile(file, content);
    written += 1;
  }
  log(`${written} of ${files.size} files written in ${Math.round(performance.now() - started)} ms`);
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  run(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof SpecError) console.error(error.message);
      else console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 2;
    },
  );
}
