import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { makeTmpDir, REAL_SPEC_DIR, removeDir } from "./helpers/mini-spec.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe("docs/api.md, generated from the model", () => {
  it("lists every method, parameter, result field, error, status, delivery error and rate rule with confidence", async () => {
    const dir = await makeTmpDir("docs");
    dirs.push(dir);
    const docs = path.join(dir, "api.md");
    const out = path.join(dir, "generated");
    expect(await run(["--spec", REAL_SPEC_DIR, "--out", out, "--docs", docs], () => {})).toBe(0);
    const text = await readFile(docs, "utf8");
    const model = JSON.parse(
      await (async () => {
        const lines: string[] = [];
        await run(["--spec", REAL_SPEC_DIR, "--model"], (line) => lines.push(line));
        return lines.join("\n");
      })(),
    ) as {
      methods: { name: string; parameters: string[]; resultFields: { name: string }[] }[];
      errors: Record<string, { code: number; text: string }[]>;
      statuses: { code: number; name: string }[];
      deliveryErrors: { code: number; name: string }[];
      rateRules: { id: string }[];
    };
    for (const method of model.methods) {
      const section = text.slice(text.indexOf(`## ${method.name}\n`));
      expect(section.length).toBeLessThan(text.length);
      for (const p of method.parameters) expect(section).toContain(`| \`${p}\` |`);
      for (const f of method.resultFields) expect(section).toContain(`| \`${f.name}\` |`);
      for (const e of model.errors[method.name] ?? []) expect(section).toContain(`| ${e.code} |`);
    }
    for (const s of model.statuses) expect(text).toContain(`| ${s.code} | ${s.name} |`);
    for (const d of model.deliveryErrors) expect(text).toContain(`| ${d.code} | ${d.name} |`);
    for (const r of model.rateRules) expect(text).toContain(`| ${r.id} |`);
    // sms_cnt (catalog: all=1, SMSC's SOAP page) is documented with its level and confidence.
    expect(text).toMatch(/\| `sms_cnt` \| `smsCnt` \| integer \| no \| all ≥ 1 \| — \| .* \| confirmed \|/);
  });

  it("--check fails when docs/api.md is stale", async () => {
    const dir = await makeTmpDir("docs-check");
    dirs.push(dir);
    const docs = path.join(dir, "api.md");
    const args = ["--spec", REAL_SPEC_DIR, "--out", path.join(dir, "generated"), "--docs", docs];
    expect(await run(args, () => {})).toBe(0);
    expect(await run([...args, "--check"], () => {})).toBe(0);
    await writeFile(docs, `${await readFile(docs, "utf8")}\nhand edit\n`);
    const lines: string[] = [];
    expect(await run([...args, "--check"], (line) => lines.push(line))).toBe(1);
    expect(lines.some((line) => line.startsWith("stale:") && line.includes("api.md"))).toBe(true);
  });
});
