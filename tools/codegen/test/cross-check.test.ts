import { afterAll, describe, expect, it } from "vitest";
import { loadModel } from "../src/generate.js";
import { SpecError } from "../src/spec-error.js";
import { miniCatalog, miniWsdl, removeDir, writeSpec } from "./helpers/mini-spec.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function problemsOf(wsdl = miniWsdl(), catalog = miniCatalog()): Promise<readonly string[]> {
  const dir = await writeSpec(wsdl, catalog, "cross");
  dirs.push(dir);
  try {
    await loadModel(dir);
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  return [];
}

describe("WSDL ↔ catalog cross-check", () => {
  it("accepts the consistent fixture", async () => {
    expect(await problemsOf()).toEqual([]);
  });

  it("names both sides when the WSDL has a field the catalog lacks", async () => {
    const wsdl = miniWsdl();
    wsdl.operations[0]?.input.fields.push({ name: "sender", minOccurs: 0 });
    expect(await problemsOf(wsdl)).toContain(
      'smsc.wsdl element "send" field "sender" has no entry in catalog.yaml fields',
    );
  });

  it("names both sides when the catalog lists a field the WSDL element lacks", async () => {
    const catalog = miniCatalog();
    catalog.fields.id.elements.push("balance");
    expect(await problemsOf(miniWsdl(), catalog)).toContain(
      'catalog.yaml fields.id.elements lists "balance", but smsc.wsdl element "balance" has no field "id"',
    );
  });

  it("names both sides when a WSDL field is missing from the catalog's element list", async () => {
    const catalog = miniCatalog();
    catalog.fields.id.elements = ["balance"];
    const problems = await problemsOf(miniWsdl(), catalog);
    expect(problems).toContain(
      'smsc.wsdl element "send" has field "id", but catalog.yaml fields.id.elements does not list "send"',
    );
  });

  it("checks result types both ways", async () => {
    const wsdl = miniWsdl();
    wsdl.complexTypes.SendResponseType?.push({ name: "cnt", minOccurs: 0 });
    const catalog = miniCatalog();
    catalog.results.balance.types.push("SendResponseType");
    const problems = await problemsOf(wsdl, catalog);
    expect(problems).toContain(
      'smsc.wsdl complexType "SendResponseType" field "cnt" has no entry in catalog.yaml results',
    );
    expect(problems).toContain(
      'catalog.yaml results.balance.types lists "SendResponseType", but smsc.wsdl complexType "SendResponseType" has no field "balance"',
    );
  });

  it("checks operations both ways", async () => {
    const catalog = miniCatalog();
    catalog.operations.get_status = { method: "status", description: { en: "Status." } };
    const wsdl = miniWsdl();
    wsdl.operations = wsdl.operations.filter((o) => o.name !== "get_balance");
    const problems = await problemsOf(wsdl, catalog);
    expect(problems).toContain(
      'catalog.yaml operations.get_status has no operation "get_status" in smsc.wsdl',
    );
    expect(problems).toContain(
      'catalog.yaml operations.get_balance has no operation "get_balance" in smsc.wsdl',
    );
  });

  it("rejects a leaf that is not xsd:string and a wrapper that is optional", async () => {
    const wsdl = miniWsdl();
    const send = wsdl.operations[0];
    if (!send) throw new Error("fixture changed");
    send.input.fields[4] = { name: "id", minOccurs: 0, type: "BalanceResponseType" };
    const problems = await problemsOf(wsdl);
    expect(problems).toContain(
      'smsc.wsdl element "send" field "id" must be xsd:string, found "BalanceResponseType"',
    );
  });

  it("names the query field once when query itself has no carrier", async () => {
    const catalog = miniCatalog();
    catalog.fields.query.methods.push("balance");
    expect(await problemsOf(miniWsdl(), catalog)).toContain(
      'catalog.yaml fields.query.methods lists "balance", but no balance operation in smsc.wsdl has a "query" field to carry it',
    );
  });

  it("refuses a method that has no way to carry a parameter", async () => {
    const catalog = miniCatalog();
    catalog.queryOptions.flash.methods.push("balance");
    expect(await problemsOf(miniWsdl(), catalog)).toContain(
      'catalog.yaml queryOptions.flash.methods lists "balance", but no balance operation in smsc.wsdl has a "flash" or "query" field to carry it',
    );
  });
});

describe("methods come from the spec", () => {
  it("names what a new method still lacks: its methods and errors entries, and its input fields' methods", async () => {
    const wsdl = miniWsdl();
    wsdl.operations.push({
      name: "get_operator",
      input: { element: "operator", fields: [{ name: "login" }, { name: "psw" }] },
      output: { element: "OperatorResponse", wrapper: "operatorresult", type: "BalanceResponseType" },
    });
    const catalog = miniCatalog();
    catalog.operations.get_operator = { method: "operator", description: { en: "Operator." } };
    for (const f of ["login", "psw"]) catalog.fields[f].elements.push("operator");
    const problems = await problemsOf(wsdl, catalog);
    expect(problems).toContain('catalog.yaml methods has no entry "operator" (named by operations)');
    expect(problems).toContain('catalog.yaml errors has no list "operator" (named by operations)');
    expect(problems).toContain(
      'smsc.wsdl element "operator" of method "operator" has field "login", but catalog.yaml fields.login.methods does not list "operator"',
    );
  });

  it("refuses a method with two plain operations, and entries for a method no operation has", async () => {
    const wsdl = miniWsdl();
    wsdl.operations.push({
      name: "get_balance_again",
      input: { element: "balance", fields: [{ name: "login" }, { name: "psw" }] },
      output: { element: "BalanceResponse", wrapper: "balanceresult", type: "BalanceResponseType" },
    });
    const catalog = miniCatalog();
    catalog.operations.get_balance_again = { method: "balance", description: { en: "Again." } };
    catalog.methods.ghost = { description: { en: "Nothing." }, idempotent: true, confidence: "inferred" };
    catalog.fields.id.methods.push("ghost");
    const problems = await problemsOf(wsdl, catalog);
    expect(problems).toContain('catalog.yaml fields.id.methods: unknown method "ghost"');
    expect(problems).toContain(
      'catalog.yaml operations: method "balance" needs exactly one operation without a "query" field in smsc.wsdl, found 2 (get_balance, get_balance_again)',
    );
    expect(problems).toContain(
      "catalog.yaml methods.ghost: no operation in catalog.yaml operations belongs to it",
    );
  });
});

describe("operation examples (operations.*.example)", () => {
  /** The mini spec with an `errors` list of records (phone, status) in send_sms2's answer. */
  function withErrorsList(): { wsdl: ReturnType<typeof miniWsdl>; catalog: ReturnType<typeof miniCatalog> } {
    const wsdl = miniWsdl();
    wsdl.complexTypes["Send2ResponseType"] = [
      { name: "id", minOccurs: 0 },
      { name: "error", minOccurs: 0 },
      { name: "errors", minOccurs: 0, maxOccurs: "unbounded", type: "Error" },
    ];
    wsdl.complexTypes["Error"] = [{ name: "phone" }, { name: "status" }];
    const op = wsdl.operations.find((o) => o.name === "send_sms2");
    if (op) op.output.type = "Send2ResponseType";
    const catalog = miniCatalog();
    catalog.results.id.types.push("Send2ResponseType");
    catalog.results.error.types.push("Send2ResponseType");
    const text = (en: string) => ({ en });
    catalog.results.errors = {
      types: ["Send2ResponseType"],
      valueType: "record",
      description: text("Errors."),
      confidence: "inferred",
    };
    catalog.results.phone = {
      types: ["Error"],
      valueType: "string",
      description: text("Phone."),
      confidence: "inferred",
    };
    catalog.results.status = {
      types: ["Error"],
      valueType: "integer",
      description: text("Status."),
      confidence: "inferred",
    };
    return { wsdl, catalog };
  }

  it("accepts an example that is an answer of the operation's result type, record lists included", async () => {
    const { wsdl, catalog } = withErrorsList();
    catalog.operations.send_sms2.example = { id: "7", error: "0", errors: [{ phone: "7999", status: "22" }] };
    catalog.operations.get_balance.example = { balance: "10.50" };
    expect(await problemsOf(wsdl, catalog)).toEqual([]);
  });

  it("names every way an example is not such an answer", async () => {
    const { wsdl, catalog } = withErrorsList();
    catalog.operations.send_sms2.example = {
      id: "7",
      cnt: "1",
      error: "9",
      errors: [{ phone: "7999", status: "delivered", zone: "ru" }, { status: "1" }],
    };
    catalog.operations.get_balance.example = { balance: "lots" };
    catalog.operations.send_sms.example = { id: ["1", "2"] };
    expect(await problemsOf(wsdl, catalog)).toEqual(
      expect.arrayContaining([
        'catalog.yaml operations.send_sms2.example.cnt is not a field of smsc.wsdl complexType "Send2ResponseType"',
        'catalog.yaml operations.send_sms2.example.error must be absent or "0": the example is a successful answer',
        'catalog.yaml operations.send_sms2.example.errors[0].status is "delivered", but results.status is integer: it must be an integer',
        'catalog.yaml operations.send_sms2.example.errors[0].zone is not a field of smsc.wsdl complexType "Error"',
        'catalog.yaml operations.send_sms2.example.errors[1] lacks "phone", which smsc.wsdl complexType "Error" requires',
        'catalog.yaml operations.get_balance.example.balance is "lots", but results.balance is decimal: it must be a decimal number',
        "catalog.yaml operations.send_sms.example.id lists 2 items of a field that occurs once",
      ]),
    );
  });
});
