import { describe, expect, it } from "vitest";
import { readWsdl } from "../src/read-wsdl.js";
import { SpecError } from "../src/spec-error.js";
import { buildWsdl, miniWsdl } from "./helpers/mini-spec.js";

// The XSD reader is where minOccurs comes from (wsdl-tsclient loses it), so it is tested on its own.

function problemsOf(xml: string): readonly string[] {
  try {
    readWsdl(xml, "smsc.wsdl");
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  return [];
}

describe("readWsdl", () => {
  it("reads operations, sequence order and occurrence", () => {
    const wsdl = miniWsdl();
    wsdl.complexTypes.SendResponseType?.push({
      name: "errors",
      minOccurs: 0,
      maxOccurs: "unbounded",
      type: "Error",
    });
    wsdl.complexTypes.Error = [{ name: "phone" }, { name: "status" }];
    const model = readWsdl(buildWsdl(wsdl), "smsc.wsdl");
    expect(model.operations).toEqual([
      { name: "send_sms", soapAction: wsdl.namespace, inputElement: "send", outputElement: "SendResponse" },
      {
        name: "send_sms2",
        soapAction: wsdl.namespace,
        inputElement: "send2",
        outputElement: "Send2Response",
      },
      {
        name: "get_balance",
        soapAction: wsdl.namespace,
        inputElement: "balance",
        outputElement: "BalanceResponse",
      },
    ]);
    expect(model.elements.get("send")?.map((f) => [f.name, f.minOccurs, f.maxOccurs, f.builtin])).toEqual([
      ["login", 1, 1, true],
      ["psw", 1, 1, true],
      ["phones", 1, 1, true],
      ["mes", 1, 1, true],
      ["id", 0, 1, true],
    ]);
    expect(model.complexTypes.get("SendResponseType")?.at(-1)).toEqual({
      name: "errors",
      type: "Error",
      builtin: false,
      minOccurs: 0,
      maxOccurs: null,
    });
    expect([model.serviceName, model.portName, model.bindingName, model.soapAddress]).toEqual([
      "Service",
      "ServiceSoap",
      "ServiceSoap",
      wsdl.namespace,
    ]);
  });

  it("treats minOccurs and maxOccurs as 1 when absent (the XSD default)", () => {
    const xml = buildWsdl(miniWsdl()).replace(
      'name="id" type="xsd:string" minOccurs="0" maxOccurs="1"',
      'name="id" type="xsd:string"',
    );
    expect(
      readWsdl(xml, "smsc.wsdl")
        .elements.get("send")
        ?.find((f) => f.name === "id"),
    ).toMatchObject({
      minOccurs: 1,
      maxOccurs: 1,
    });
  });

  it("recognises the XML Schema namespace under any prefix (.NET writes s:string)", () => {
    const xml = buildWsdl(miniWsdl()).replace('xmlns:xsd="', 'xmlns:s="').replace(/xsd:/g, "s:");
    const model = readWsdl(xml, "smsc.wsdl");
    expect(model.elements.get("balance")?.every((f) => f.builtin && f.type === "string")).toBe(true);
  });

  it("does not take a type from another namespace for xsd:string", () => {
    const xml = buildWsdl(miniWsdl()).replace(
      '<xsd:element name="mes" type="xsd:string"',
      '<xsd:element name="mes" xmlns:x="urn:other" type="x:string"',
    );
    expect(
      readWsdl(xml, "smsc.wsdl")
        .elements.get("send")
        ?.find((f) => f.name === "mes")?.builtin,
    ).toBe(false);
  });

  it("refuses rpc style, a part not named parameters, encoded use and undeclared elements", () => {
    const base = buildWsdl(miniWsdl());
    expect(
      problemsOf(base.replace('style="document"/><wsdl:operation', 'style="rpc"/><wsdl:operation')),
    ).toContain('binding: style must be "document", found "rpc"');
    expect(
      problemsOf(
        base.replace(
          '<wsdl:part name="parameters" element="tns:send"/>',
          '<wsdl:part name="body" element="tns:send"/>',
        ),
      ),
    ).toContain('message send_smsSoapIn: must have exactly one part named "parameters" (document/literal)');
    expect(problemsOf(base.replace('<soap:body use="literal"/>', '<soap:body use="encoded"/>'))).toContain(
      "binding operation send_sms: input body use must be literal",
    );
    expect(problemsOf(base.replace('element="tns:SendResponse"', 'element="tns:Nowhere"'))).toContain(
      'operation send_sms: output element "Nowhere" is not declared in the schema',
    );
    expect(() => readWsdl("<html/>", "smsc.wsdl")).toThrow(/not a WSDL 1\.1 document/);
  });
});
