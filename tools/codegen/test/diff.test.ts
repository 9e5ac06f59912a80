import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { diffModels, impliedBump } from "../src/diff.js";
import { loadModel } from "../src/generate.js";
import {
  addCostOperation,
  describeCostOperation,
  type MiniCatalog,
  type MiniWsdl,
  miniCatalog,
  miniWsdl,
  removeDir,
  writeSpec,
} from "./helpers/mini-spec.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function specDir(wsdl: MiniWsdl, catalog: MiniCatalog): Promise<string> {
  const dir = await writeSpec(wsdl, catalog, "diff");
  dirs.push(dir);
  return dir;
}

async function diffAgainstBase(edit: (wsdl: MiniWsdl, catalog: MiniCatalog) => void) {
  const wsdl = miniWsdl();
  const catalog = miniCatalog();
  edit(wsdl, catalog);
  const [before, after] = await Promise.all([
    loadModel(await specDir(miniWsdl(), miniCatalog())),
    loadModel(await specDir(wsdl, catalog)),
  ]);
  const changes = diffModels(before, after);
  return {
    changes,
    bump: impliedBump(changes),
    descriptions: changes.map((c) => `${c.bump} ${c.description}`),
  };
}

describe("semantic diff (pnpm gen:diff)", () => {
  it("reports nothing for identical specs", async () => {
    const { changes, bump } = await diffAgainstBase(() => {});
    expect(changes).toEqual([]);
    expect(bump).toBe("none");
  });

  it("an operation's example, added or changed, is a patch", async () => {
    const { descriptions, bump } = await diffAgainstBase((_wsdl, catalog) => {
      catalog.operations.get_balance.example = { balance: "10.00" };
    });
    expect(descriptions).toEqual([
      'patch operation get_balance: example changed from null to {"balance":"10.00"}',
    ]);
    expect(bump).toBe("patch");
  });

  it("an added operation is minor", async () => {
    const { bump, descriptions } = await diffAgainstBase((wsdl, catalog) => {
      addCostOperation(wsdl);
      describeCostOperation(catalog);
    });
    expect(descriptions).toContain("minor operation get_sms_cost added");
    expect(bump).toBe("minor");
  });

  it("a removed field is major", async () => {
    const { bump, descriptions } = await diffAgainstBase((wsdl, catalog) => {
      for (const op of wsdl.operations) op.input.fields = op.input.fields.filter((f) => f.name !== "id");
      delete catalog.fields.id;
    });
    expect(descriptions).toContain("major operation send_sms input field id removed");
    expect(descriptions).toContain("major field id removed");
    expect(bump).toBe("major");
  });

  it("an optional field becoming required is major", async () => {
    const { bump, descriptions } = await diffAgainstBase((wsdl) => {
      const id = wsdl.operations[0]?.input.fields.find((f) => f.name === "id");
      if (id) id.minOccurs = 1;
    });
    expect(descriptions).toContain("major operation send_sms input field id: optional became required");
    expect(bump).toBe("major");
  });

  it("an added enum value is minor, a removed one major", async () => {
    const added = await diffAgainstBase((_wsdl, catalog) => {
      catalog.queryOptions.flash.format.values.push({ value: "2", description: "class 0" });
    });
    expect(added.descriptions).toEqual(['minor query option flash: enum value "2" added']);
    expect(added.bump).toBe("minor");

    const removed = await diffAgainstBase((_wsdl, catalog) => {
      catalog.queryOptions.flash.format.values.pop();
      catalog.messageKinds.flash.values = ["0"];
    });
    expect(removed.descriptions).toContain('major query option flash: enum value "1" removed');
    expect(removed.bump).toBe("major");
  });

  it("an added or removed error code is minor or major", async () => {
    const added = await diffAgainstBase((_wsdl, catalog) => {
      catalog.errors.send.push({ code: 9, class: "duplicate", text: "Duplicate.", confidence: "confirmed" });
    });
    expect(added.descriptions).toEqual(["minor send error code 9 added"]);
    const reclassified = await diffAgainstBase((_wsdl, catalog) => {
      catalog.errors.balance[0].class = "ip_blocked";
    });
    expect(reclassified.bump).toBe("major");
  });

  it("a wording change is a patch", async () => {
    const { bump, descriptions } = await diffAgainstBase((_wsdl, catalog) => {
      catalog.fields.mes.description.en = "The text of the message.";
      catalog.errors.send[0].text = "Parameter error.";
    });
    expect(descriptions).toEqual([
      'patch field mes: description changed from "Text." to "The text of the message."',
      'patch send error code 1: text changed from "Error in parameters." to "Parameter error."',
    ]);
    expect(bump).toBe("patch");
  });

  it("a changed rule is minor, a reworded rule a patch", async () => {
    const tightened = await diffAgainstBase((_wsdl, catalog) => {
      catalog.fields.mes.format.maxLength = 500;
    });
    expect(tightened.descriptions).toEqual([
      'minor field mes: rule changed from "at most 1000 characters" to "at most 500 characters"',
    ]);
    const reworded = await diffAgainstBase((_wsdl, catalog) => {
      catalog.fields.phones.format.items[0].description = "an international number";
    });
    expect(reworded.bump).toBe("patch");
    expect(reworded.descriptions[0]).toMatch(/^patch field phones: wording of the rule changed/);
  });

  it("prints the changes and the implied changeset from the CLI", async () => {
    const base = await specDir(miniWsdl(), miniCatalog());
    const catalog = miniCatalog();
    catalog.queryOptions.flash.format.values.push({ value: "2", description: "class 0" });
    const changed = await specDir(miniWsdl(), catalog);
    const lines: string[] = [];
    // As README's "When SMSC changes the WSDL" says: --spec (default spec/) is the baseline, the --diff
    // directory the new spec.
    expect(await run(["--spec", base, "--diff", changed], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([
      'minor query option flash: enum value "2" added',
      'implied changeset: "@smsc-kit/core": minor (1 change)',
    ]);
  });
});
