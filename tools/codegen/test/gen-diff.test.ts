import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import {
  addCostOperation,
  describeCostOperation,
  type MiniCatalog,
  type MiniWsdl,
  makeTmpDir,
  miniCatalog,
  miniWsdl,
  removeDir,
  writeSpec,
} from "./helpers/mini-spec.js";

// `pnpm gen:diff <new-spec-dir>` as README's "When SMSC changes the WSDL" uses it: spec/ (here --spec) is
// the baseline, the argument the folder holding SMSC's new WSDL.

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function genDiff(
  edit: (wsdl: MiniWsdl, catalog: MiniCatalog) => void,
  extra: string[] = [],
): Promise<{ code: number; lines: string[] }> {
  const base = await writeSpec(miniWsdl(), miniCatalog(), "gendiff-base");
  const wsdl = miniWsdl();
  const catalog = miniCatalog();
  edit(wsdl, catalog);
  const next = await writeSpec(wsdl, catalog, "gendiff-next");
  dirs.push(base, next);
  const lines: string[] = [];
  const code = await run(["--spec", base, ...extra, next], (line) => lines.push(line));
  return { code, lines };
}

function addSenderField(wsdl: MiniWsdl, catalog: MiniCatalog, minOccurs: number): void {
  for (const op of wsdl.operations.filter((o) => o.name.startsWith("send_sms"))) {
    op.input.fields.splice(4, 0, { name: "sender", minOccurs });
  }
  catalog.fields.sender = {
    elements: ["send", "send2"],
    methods: ["send"],
    format: { kind: "text", maxLength: 11 },
    smscError: 1,
    description: { en: "Sender name." },
    confidence: "confirmed",
  };
}

describe("pnpm gen:diff <new-spec-dir>", () => {
  it("an optional field added to the WSDL and the catalog is minor", async () => {
    const { code, lines } = await genDiff((wsdl, catalog) => addSenderField(wsdl, catalog, 0));
    expect(code).toBe(0);
    expect(lines).toContain("minor operation send_sms input field sender added");
    expect(lines.at(-1)).toMatch(/^implied changeset: "@smsc-kit\/core": minor/);
  });

  it("an optional field that became required is major", async () => {
    const { code, lines } = await genDiff((wsdl) => {
      for (const op of wsdl.operations) {
        for (const field of op.input.fields) if (field.name === "id") field.minOccurs = 1;
      }
    });
    expect(code).toBe(0);
    expect(lines).toContain("major operation send_sms input field id: optional became required");
    expect(lines.at(-1)).toMatch(/^implied changeset: "@smsc-kit\/core": major/);
  });

  it("a new operation with its catalog entries is minor", async () => {
    const { code, lines } = await genDiff((wsdl, catalog) => {
      addCostOperation(wsdl);
      describeCostOperation(catalog);
    });
    expect(code).toBe(0);
    expect(lines).toContain("minor operation get_sms_cost added");
    expect(lines).toContain("minor method cost added");
    expect(lines.at(-1)).toMatch(/^implied changeset: "@smsc-kit\/core": minor/);
  });

  it("while the catalog lags the WSDL: prints the WSDL changes and the entries to write, exit 3", async () => {
    const { code, lines } = await genDiff((wsdl) => addCostOperation(wsdl), ["--write-changeset"]);
    expect(code).toBe(3);
    expect(lines[0]).toBe("WSDL changes (the catalog does not describe the new WSDL yet):");
    expect(lines).toContain("minor operation get_sms_cost added");
    expect(lines).toContain('implied changeset: "@smsc-kit/core": minor (1 change)');
    expect(lines).toContain('  - smsc.wsdl operation "get_sms_cost" has no entry in catalog.yaml operations');
    expect(lines).toContain(
      '  - smsc.wsdl element "cost" has field "login", but catalog.yaml fields.login.elements does not list "cost"',
    );
    expect(lines.at(-1)).toBe("no changeset written: the catalog is incomplete");
  });

  it("--write-changeset writes the changeset with the implied bump", async () => {
    const changesets = await makeTmpDir("changesets");
    dirs.push(changesets);
    const { code, lines } = await genDiff(
      (wsdl, catalog) => addSenderField(wsdl, catalog, 0),
      ["--write-changeset", "--changeset-dir", changesets],
    );
    expect(code).toBe(0);
    const [file] = await readdir(changesets);
    expect(file).toMatch(/^spec-[0-9a-f]{8}\.md$/);
    expect(lines.at(-1)).toMatch(/^changeset written: .*spec-[0-9a-f]{8}\.md$/);
    const text = await readFile(path.join(changesets, file ?? ""), "utf8");
    expect(text).toMatch(/^---\n"@smsc-kit\/core": minor\n---\n\n/);
    expect(text).toContain("operation send_sms input field sender added");
  });
});
