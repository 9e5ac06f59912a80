import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { run } from "../../src/cli.js";
import { makeTmpDir, REPO_ROOT } from "./mini-spec.js";

// A scratch copy of the parts of the repository a user's regeneration touches: spec/, packages/core,
// packages/simulator and the gateway's command line, wired so that each resolves @smsc-kit/core (and the
// gateway @smsc-kit/simulator) to the copy, every other dependency to the real one. Sources run through
// tsx and are typechecked by tsc, so nothing needs building.

export interface ScratchWorkspace {
  root: string;
  spec: string;
  coreSrc: string;
}

const PACKAGES = [
  { dir: "packages/core", name: "@smsc-kit/core" },
  { dir: "packages/simulator", name: "@smsc-kit/simulator" },
  { dir: "apps/gateway", name: "@smsc-kit/gateway" },
] as const;
const COPIED: ReadonlySet<string> = new Set(PACKAGES.map((p) => p.name));

/** node_modules of a copied package: links to the real entries, the copied workspace packages to the copies. */
async function linkModules(root: string, dir: string): Promise<void> {
  const real = path.join(REPO_ROOT, dir, "node_modules");
  const target = path.join(root, dir, "node_modules");
  await mkdir(path.join(target, "@smsc-kit"), { recursive: true });
  for (const entry of await readdir(real)) {
    if (entry === "@smsc-kit" || entry === ".bin") continue;
    await symlink(path.join(real, entry), path.join(target, entry));
  }
  for (const entry of await readdir(path.join(real, "@smsc-kit")).catch(() => [] as string[])) {
    const name = `@smsc-kit/${entry}`;
    const copy = PACKAGES.find((p) => p.name === name);
    const source = COPIED.has(name) && copy ? path.join(root, copy.dir) : path.join(real, "@smsc-kit", entry);
    await symlink(source, path.join(target, "@smsc-kit", entry));
  }
}

/** Copies the packages, points their entry points at the TypeScript sources and regenerates core. */
export async function scratchWorkspace(
  prefix: string,
  editSpec: (specDir: string) => Promise<void>,
): Promise<ScratchWorkspace> {
  const root = await makeTmpDir(prefix);
  const spec = path.join(root, "spec");
  await cp(path.join(REPO_ROOT, "spec"), spec, { recursive: true });
  await editSpec(spec);
  for (const { dir } of PACKAGES) {
    await cp(path.join(REPO_ROOT, dir, "src"), path.join(root, dir, "src"), { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, dir, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    manifest["exports"] = { ".": "./src/index.ts", "./package.json": "./package.json" };
    await writeFile(path.join(root, dir, "package.json"), JSON.stringify(manifest, null, 2));
    await linkModules(root, dir);
  }
  await cp(path.join(REPO_ROOT, "tsconfig.base.json"), path.join(root, "tsconfig.base.json"));
  const coreSrc = path.join(root, "packages/core/src");
  const code = await run(["--spec", spec, "--out", path.join(coreSrc, "generated")], () => {});
  if (code !== 0) throw new Error(`generation of the scratch workspace failed with exit code ${code}`);
  return { root, spec, coreSrc };
}

/** A tsconfig in `dir` that typechecks `files` under the repository's strict settings. */
export async function writeCheckConfig(dir: string, root: string, files: string[]): Promise<string> {
  const file = path.join(dir, "tsconfig.json");
  await writeFile(
    file,
    JSON.stringify({
      extends: path.relative(dir, path.join(root, "tsconfig.base.json")),
      compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false },
      files,
    }),
  );
  return file;
}
