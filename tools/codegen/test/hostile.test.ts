import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { makeTmpDir, miniCatalog, miniWsdl, REPO_ROOT, removeDir, writeSpec } from "./helpers/mini-spec.js";

const execFileAsync = promisify(execFile);

// Spec text that tries to break out of string literals, comments and template literals. Generated code must
// carry each value through unchanged and stay inert.
const HOSTILE = [
  "end of comment */ then code();",
  "/* open comment",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: deliberately hostile text, must stay a plain string
  "`backtick` and ${process.exit(1)} template",
  "\"double\" and 'single' quotes",
  "back\\slash \\u0041 \\n literal",
  "new\nline and \r\n crlf and \t tab",
  "Кириллица: Сообщение не найдено",
  "line\u2028separator and paragraph\u2029separator",
  "</script><!-- -->",
  "emoji 😀 and NUL \u0000",
].join(" | ");

interface GeneratedModule {
  OPERATIONS: { send_sms: { description: string } };
  FIELDS: {
    mes: { description: string; notes: string };
    phones: { format: { items: { pattern: string }[] } };
  };
  QUERY_OPTIONS: { flash: { format: { values: { value: string; description: string }[] }; default: string } };
  MESSAGE_KINDS: { flash: { values: string[] } };
  ERROR_CODES: { send: Record<string, { text: string; textRu: string }> };
  STATUS_CODES: Record<string, { name: string; nameRu: string }>;
  DELIVERY_ERRORS: Record<string, { description: string }>;
  SEGMENT_RULES: { gsm7Basic: string; gsm7Extension: string };
  SPEC_NAMESPACE: string;
  fieldSchemas: { phones: { safeParse(v: unknown): { success: boolean } } };
  queryOptionSchemas: { flash: { safeParse(v: unknown): { success: boolean; data?: unknown } } };
}

const dirs: string[] = [];
let out = "";
let generated: GeneratedModule;
const HOSTILE_PATTERN = "\\*/x|\\+?[0-9]{5,15}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: deliberately hostile text, must stay a plain string
const HOSTILE_NAMESPACE = "https://evil.example/sys/soap.php?q=*/`${x}`";

beforeAll(async () => {
  const catalog = miniCatalog();
  catalog.soap.namespacePolicy = "fixed";
  catalog.soap.namespaceNote = HOSTILE;
  catalog.operations.send_sms.description.en = HOSTILE;
  catalog.fields.mes.description = { en: HOSTILE, ru: HOSTILE };
  catalog.fields.mes.notes = HOSTILE;
  catalog.fields.phones.format.items[0] = { name: "phone", pattern: HOSTILE_PATTERN, description: HOSTILE };
  catalog.queryOptions.flash.format.values[1] = { value: HOSTILE, description: HOSTILE };
  catalog.queryOptions.flash.default = HOSTILE;
  catalog.messageKinds.flash.values = [HOSTILE];
  catalog.errors.send[0] = {
    code: 1,
    class: "invalid_request",
    text: HOSTILE,
    textRu: HOSTILE,
    confidence: "confirmed",
  };
  catalog.statuses[0].name = HOSTILE;
  catalog.statuses[0].nameRu = HOSTILE;
  catalog.deliveryErrors[0].description = HOSTILE;
  catalog.segments.gsm7Basic = "@\"'`\\\n";
  catalog.segments.gsm7Extension = "*/${";
  const wsdl = miniWsdl();
  wsdl.namespace = HOSTILE_NAMESPACE;
  const spec = await writeSpec(wsdl, catalog, "hostile-spec");
  const pkg = await makeTmpDir("hostile-out");
  dirs.push(spec, pkg);
  out = path.join(pkg, "generated");
  // The generated client surface imports two hand-written core types; this test is about the generated
  // text alone, so they are given the simplest shapes that satisfy those imports.
  await writeFile(path.join(pkg, "requests.ts"), "export type SmscRequest<Options> = Options;\n");
  await writeFile(
    path.join(pkg, "results.ts"),
    "export type RawResult = Readonly<Record<string, unknown>>;\nexport type ResultExtra<M extends string> = M extends never ? never : unknown;\n",
  );
  expect(await run(["--spec", spec, "--out", out], () => {})).toBe(0);
  generated = (await import(pathToFileURL(path.join(out, "index.ts")).href)) as GeneratedModule;
});

afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe("hostile spec text", () => {
  it("round-trips every value exactly", () => {
    expect(generated.OPERATIONS.send_sms.description).toBe(HOSTILE);
    expect(generated.FIELDS.mes.description).toBe(HOSTILE);
    expect(generated.FIELDS.mes.notes).toBe(HOSTILE);
    expect(generated.FIELDS.phones.format.items[0]?.pattern).toBe(HOSTILE_PATTERN);
    expect(generated.QUERY_OPTIONS.flash.format.values[1]).toEqual({ value: HOSTILE, description: HOSTILE });
    expect(generated.QUERY_OPTIONS.flash.default).toBe(HOSTILE);
    expect(generated.MESSAGE_KINDS.flash.values).toEqual([HOSTILE]);
    expect(generated.ERROR_CODES.send["1"]).toMatchObject({ text: HOSTILE, textRu: HOSTILE });
    expect(generated.STATUS_CODES["0"]).toMatchObject({ name: HOSTILE, nameRu: HOSTILE });
    expect(generated.DELIVERY_ERRORS["0"]?.description).toBe(HOSTILE);
    expect(generated.SEGMENT_RULES.gsm7Basic).toBe("@\"'`\\\n");
    expect(generated.SEGMENT_RULES.gsm7Extension).toBe("*/${");
    expect(generated.SPEC_NAMESPACE).toBe(HOSTILE_NAMESPACE);
  });

  it("keeps hostile enum values and patterns working in the zod schemas", () => {
    const flash = generated.queryOptionSchemas.flash.safeParse(HOSTILE);
    expect(flash).toMatchObject({ success: true, data: HOSTILE });
    expect(generated.queryOptionSchemas.flash.safeParse("2").success).toBe(false);
    expect(generated.fieldSchemas.phones.safeParse("*/x").success).toBe(true);
    expect(generated.fieldSchemas.phones.safeParse("*/y").success).toBe(false);
  });

  it("leaves comments single-line and closed only by the generator", async () => {
    for (const file of ["operations.ts", "options.ts", "schemas.ts", "types.ts", "codes.ts", "methods.ts"]) {
      const source = await readFile(path.join(out, file), "utf8");
      for (const line of source.split("\n")) {
        const trimmed = line.trim();
        if (trimmed.startsWith("/**")) {
          // One comment per line, opened and closed once.
          expect(trimmed.endsWith("*/")).toBe(true);
          expect(trimmed.slice(3, -2).includes("*/")).toBe(false);
        }
      }
      expect(source.includes("\u2028")).toBe(false);
      expect(source.includes("\u2029")).toBe(false);
    }
  });

  it("compiles under the repository's strict settings (isolatedModules, verbatimModuleSyntax)", async () => {
    const tsconfig = path.join(out, "tsconfig.json");
    await writeFile(
      tsconfig,
      JSON.stringify({
        extends: path.relative(out, path.join(REPO_ROOT, "tsconfig.base.json")),
        compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false },
        include: ["*.ts", "../*.ts"],
      }),
    );
    const tsc = path.join(REPO_ROOT, "node_modules/.bin/tsc");
    const result = await execFileAsync(tsc, ["-p", tsconfig]).then(
      () => ({ code: 0, stdout: "" }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });
});
