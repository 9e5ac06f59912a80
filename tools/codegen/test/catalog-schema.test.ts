import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalogJsonSchema, loadModel } from "../src/generate.js";
import { parseCatalog } from "../src/load-catalog.js";
import { SpecError } from "../src/spec-error.js";
import {
  miniCatalog,
  miniWsdl,
  REAL_SPEC_DIR,
  REPO_ROOT,
  removeDir,
  writeSpec,
} from "./helpers/mini-spec.js";

/** The repository's formatter (Biome) applied to `content` as if it were `file`. */
function biomeFormat(content: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      path.join(REPO_ROOT, "node_modules/.bin/biome"),
      ["format", `--stdin-file-path=${file}`],
      { cwd: REPO_ROOT },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    child.stdin?.end(content);
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function problemsOf(catalog: ReturnType<typeof miniCatalog> | string): Promise<readonly string[]> {
  const dir = await writeSpec(miniWsdl(), catalog, "schema");
  dirs.push(dir);
  const error = await loadModel(dir).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SpecError)) throw new Error(`expected a SpecError, got ${String(error)}`);
  return error.problems;
}

describe("catalog schema", () => {
  it("fails on a misspelt key, naming its path", async () => {
    const catalog = miniCatalog();
    catalog.queryOptions.flash.defualt = "0";
    expect(await problemsOf(catalog)).toContain('queryOptions.flash.defualt: unknown key "defualt"');
  });

  it("fails on a bad value inside a list, naming the index", async () => {
    const catalog = miniCatalog();
    catalog.errors.send[0].class = "retry-later";
    const problems = await problemsOf(catalog);
    expect(problems.some((p) => p.startsWith("errors.send[0].class:"))).toBe(true);
  });

  it("fails on a missing section", async () => {
    const catalog = miniCatalog();
    delete catalog.statuses;
    const problems = await problemsOf(catalog);
    expect(problems.some((p) => p.startsWith("statuses:"))).toBe(true);
  });

  it("fails when an option replaces a parameter that does not exist", async () => {
    const catalog = miniCatalog();
    catalog.queryOptions.flash.replaces = ["phonez"];
    expect(await problemsOf(catalog)).toContain('queryOptions.flash: refers to unknown parameter "phonez"');
  });

  it("fails when a callback signature algorithm has no form field to travel in", async () => {
    const catalog = miniCatalog();
    delete catalog.callback.signature.signatureFields.sha1;
    expect(await problemsOf(catalog)).toContain(
      'callback.signature.signatureFields: no form field for algorithm "sha1"',
    );
  });

  it("fails on broken references between sections", async () => {
    const catalog = miniCatalog();
    catalog.messageKinds.flash.option = "flsh";
    catalog.queryOptions.flash.requires = ["nothing"];
    catalog.fields.phones.format.items[0].pattern = "([0-9]";
    const problems = await problemsOf(catalog);
    expect(problems).toContain('messageKinds.flash.option: unknown query option "flsh"');
    expect(problems).toContain('queryOptions.flash: refers to unknown parameter "nothing"');
    expect(
      problems.some((p) =>
        p.startsWith("fields.phones.format.items[0].pattern: not a valid regular expression"),
      ),
    ).toBe(true);
  });

  it("fails on duplicate codes", async () => {
    const catalog = miniCatalog();
    catalog.statuses.push({ ...catalog.statuses[0] });
    expect(await problemsOf(catalog)).toContain("statuses: code 0 appears more than once");
  });

  it("reports YAML syntax errors and duplicate keys", () => {
    expect(() => parseCatalog("a: [1, 2\n", "catalog.yaml")).toThrow(/catalog\.yaml is not valid YAML/);
    expect(() => parseCatalog("catalogVersion: 1\ncatalogVersion: 1\n", "catalog.yaml")).toThrow(SpecError);
  });

  it("is exported as JSON Schema in spec/catalog.schema.json (generated, not hand-edited)", async () => {
    const committed = await readFile(path.join(REAL_SPEC_DIR, "catalog.schema.json"), "utf8");
    expect(committed).toBe(catalogJsonSchema());
    const schema = JSON.parse(committed) as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(Object.keys(schema.properties)).toContain("queryOptions");
    expect(schema.additionalProperties).toBe(false);
  });

  it("writes catalog.schema.json already in the repository's format, so lint and gen:check agree", async () => {
    const generated = catalogJsonSchema();
    expect(await biomeFormat(generated, "spec/catalog.schema.json")).toBe(generated);
  });
});
