import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkCatalogRules } from "./catalog-rules.js";
import { crossCheck } from "./cross-check.js";
import { type Change, describeBump, diffModels, impliedBump } from "./diff.js";
import { CATALOG_FILE, loadModel, WSDL_FILE } from "./generate.js";
import { parseCatalog } from "./load-catalog.js";
import { readWsdl } from "./read-wsdl.js";
import { diffWsdl } from "./wsdl-diff.js";

// `pnpm gen:diff <new-spec-dir>`: what changes from spec/ (the baseline, --spec) to <new-spec-dir> (a copy
// of spec/ with SMSC's new WSDL saved into it), and the changeset bump that implies. While the new
// catalog lags its WSDL, the WSDL-level changes are printed with the catalog entries still to write.

/** Exit code: the new WSDL is read, but its catalog does not describe it yet. */
export const EXIT_CATALOG_INCOMPLETE = 3;

export interface DiffOptions {
  baseline: string;
  next: string;
  /** Write a changeset with the implied bump into this directory (the repository's .changeset/). */
  changesetDir?: string | undefined;
}

async function readSpecParts(dir: string) {
  const [wsdlXml, catalogYaml] = await Promise.all([
    readFile(path.join(dir, WSDL_FILE), "utf8"),
    readFile(path.join(dir, CATALOG_FILE), "utf8"),
  ]);
  return { wsdl: readWsdl(wsdlXml, WSDL_FILE), catalog: parseCatalog(catalogYaml, CATALOG_FILE) };
}

function changesetText(changes: readonly Change[]): string {
  const bump = impliedBump(changes);
  const summary = changes.map((c) => c.description).join("; ");
  return `---\n"@smsc-kit/core": ${bump}\n---\n\nRegenerated from SMSC's changed WSDL and catalog: ${summary}.\n`;
}

export async function runDiff(options: DiffOptions, log: (line: string) => void): Promise<number> {
  const before = await loadModel(options.baseline);
  const baselineWsdl = (await readSpecParts(options.baseline)).wsdl;
  const next = await readSpecParts(options.next);
  const missing = [...checkCatalogRules(next.catalog), ...crossCheck(next.wsdl, next.catalog)];
  if (missing.length > 0) {
    const changes = diffWsdl(baselineWsdl, next.wsdl);
    log("WSDL changes (the catalog does not describe the new WSDL yet):");
    for (const change of changes) log(`${change.bump.padEnd(5)} ${change.description}`);
    log(describeBump(changes));
    log(`catalog entries still to write in ${path.join(options.next, CATALOG_FILE)}:`);
    for (const problem of missing) log(`  - ${problem}`);
    if (options.changesetDir !== undefined) log("no changeset written: the catalog is incomplete");
    return EXIT_CATALOG_INCOMPLETE;
  }
  const changes = diffModels(before, await loadModel(options.next));
  for (const change of changes) log(`${change.bump.padEnd(5)} ${change.description}`);
  log(describeBump(changes));
  if (options.changesetDir !== undefined && changes.length > 0) {
    const text = changesetText(changes);
    const digest = createHash("sha1").update(text).digest("hex").slice(0, 8);
    const file = path.join(options.changesetDir, `spec-${digest}.md`);
    await writeFile(file, text);
    log(`changeset written: ${path.relative(process.cwd(), file) || file}`);
  }
  return 0;
}
