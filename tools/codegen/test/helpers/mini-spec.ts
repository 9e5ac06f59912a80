import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

// A small but complete spec (two operations) built from plain data, so each test states exactly the
// difference it is about. Written to real files under test/.tmp/ (inside the package, so generated code
// that imports "zod" resolves it) and read back through the real loader.

export const CODEGEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const REPO_ROOT = path.resolve(CODEGEN_DIR, "../..");
export const REAL_SPEC_DIR = path.join(REPO_ROOT, "spec");
const TMP_ROOT = path.join(CODEGEN_DIR, "test/.tmp");

export interface MiniField {
  name: string;
  minOccurs?: number;
  maxOccurs?: number | "unbounded";
  type?: string;
}

export interface MiniOperation {
  name: string;
  input: { element: string; fields: MiniField[] };
  output: { element: string; wrapper: string; type: string };
}

export interface MiniWsdl {
  namespace: string;
  operations: MiniOperation[];
  complexTypes: Record<string, MiniField[]>;
}

const xmlAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function fieldXml(f: MiniField): string {
  const type = f.type ? `tns:${f.type}` : "xsd:string";
  return `<xsd:element name="${f.name}" type="${type}" minOccurs="${f.minOccurs ?? 1}" maxOccurs="${f.maxOccurs ?? 1}"/>`;
}

export function buildWsdl(w: MiniWsdl): string {
  const ns = xmlAttr(w.namespace);
  const elements = w.operations.flatMap((op) => [
    `<xsd:element name="${op.input.element}"><xsd:complexType><xsd:sequence>${op.input.fields.map(fieldXml).join("")}</xsd:sequence></xsd:complexType></xsd:element>`,
    `<xsd:element name="${op.output.element}"><xsd:complexType><xsd:sequence><xsd:element name="${op.output.wrapper}" type="tns:${op.output.type}" minOccurs="1" maxOccurs="1"/></xsd:sequence></xsd:complexType></xsd:element>`,
  ]);
  const types = Object.entries(w.complexTypes).map(
    ([name, fields]) =>
      `<xsd:complexType name="${name}"><xsd:sequence>${fields.map(fieldXml).join("")}</xsd:sequence></xsd:complexType>`,
  );
  const messages = w.operations.flatMap((op) => [
    `<wsdl:message name="${op.name}SoapIn"><wsdl:part name="parameters" element="tns:${op.input.element}"/></wsdl:message>`,
    `<wsdl:message name="${op.name}SoapOut"><wsdl:part name="parameters" element="tns:${op.output.element}"/></wsdl:message>`,
  ]);
  const portOps = w.operations.map(
    (op) =>
      `<wsdl:operation name="${op.name}"><wsdl:input message="tns:${op.name}SoapIn"/><wsdl:output message="tns:${op.name}SoapOut"/></wsdl:operation>`,
  );
  const bindingOps = w.operations.map(
    (op) =>
      `<wsdl:operation name="${op.name}"><soap:operation soapAction="${ns}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="${ns}" targetNamespace="${ns}">
<wsdl:types><xsd:schema targetNamespace="${ns}" elementFormDefault="qualified">
${[...elements, ...types].join("\n")}
</xsd:schema></wsdl:types>
${messages.join("\n")}
<wsdl:portType name="ServiceSoap">${portOps.join("")}</wsdl:portType>
<wsdl:binding name="ServiceSoap" type="tns:ServiceSoap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>${bindingOps.join("")}</wsdl:binding>
<wsdl:service name="Service"><wsdl:port name="ServiceSoap" binding="tns:ServiceSoap"><soap:address location="${ns}"/></wsdl:port></wsdl:service>
</wsdl:definitions>
`;
}

export function miniWsdl(): MiniWsdl {
  return {
    namespace: "https://smsc.example/sys/soap.php",
    operations: [
      {
        name: "send_sms",
        input: {
          element: "send",
          fields: [
            { name: "login" },
            { name: "psw" },
            { name: "phones" },
            { name: "mes" },
            { name: "id", minOccurs: 0 },
          ],
        },
        output: { element: "SendResponse", wrapper: "sendresult", type: "SendResponseType" },
      },
      {
        name: "send_sms2",
        input: {
          element: "send2",
          fields: [
            { name: "login" },
            { name: "psw" },
            { name: "phones" },
            { name: "mes" },
            { name: "id", minOccurs: 0 },
            { name: "query", minOccurs: 0 },
          ],
        },
        output: { element: "Send2Response", wrapper: "sendresult", type: "SendResponseType" },
      },
      {
        name: "get_balance",
        input: { element: "balance", fields: [{ name: "login" }, { name: "psw" }] },
        output: { element: "BalanceResponse", wrapper: "balanceresult", type: "BalanceResponseType" },
      },
    ],
    complexTypes: {
      SendResponseType: [
        { name: "id", minOccurs: 0 },
        { name: "error", minOccurs: 0 },
      ],
      BalanceResponseType: [
        { name: "balance", minOccurs: 0 },
        { name: "error", minOccurs: 0 },
      ],
    },
  };
}

const flag = {
  kind: "enum",
  values: [
    { value: "0", description: "off" },
    { value: "1", description: "on" },
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: the catalog fixture is edited freely by tests, then validated by the real schema
export type MiniCatalog = Record<string, any>;

export function miniCatalog(): MiniCatalog {
  const text = (en: string) => ({ en });
  // Cloned so a test's edits never leak into the next fixture (`flag` is shared).
  return structuredClone({
    catalogVersion: 1,
    soap: {
      path: "/sys/soap.php",
      namespacePolicy: "follows-host",
      namespaceNote: "note",
      confidence: "confirmed",
    },
    operations: {
      send_sms: { method: "send", description: text("Send.") },
      send_sms2: { method: "send", description: text("Send with options.") },
      get_balance: { method: "balance", description: text("Balance.") },
    },
    methods: {
      send: { description: text("Send a message."), idempotent: false, confidence: "inferred" },
      balance: { description: text("The balance."), idempotent: true, confidence: "inferred" },
    },
    fields: {
      login: {
        elements: ["send", "send2", "balance"],
        methods: ["send", "balance"],
        credential: true,
        format: { kind: "text" },
        smscError: 1,
        description: text("Login."),
        confidence: "confirmed",
      },
      psw: {
        elements: ["send", "send2", "balance"],
        methods: ["send", "balance"],
        credential: true,
        secret: true,
        format: { kind: "text" },
        smscError: 1,
        description: text("Password."),
        confidence: "confirmed",
      },
      phones: {
        elements: ["send", "send2"],
        methods: ["send"],
        format: {
          kind: "list",
          separators: [",", ";"],
          items: [{ name: "phone", pattern: "\\+?[0-9]{5,15}", description: "number" }],
        },
        smscError: 7,
        description: text("Recipients."),
        confidence: "confirmed",
      },
      mes: {
        elements: ["send", "send2"],
        methods: ["send"],
        format: { kind: "text", maxLength: 1000 },
        smscError: 1,
        description: text("Text."),
        confidence: "confirmed",
      },
      id: {
        elements: ["send", "send2"],
        methods: ["send"],
        format: { kind: "integer", min: 1, max: 2147483647 },
        smscError: 1,
        description: text("Message id."),
        confidence: "confirmed",
      },
      query: {
        elements: ["send2"],
        methods: ["send"],
        format: { kind: "text" },
        smscError: 1,
        description: text("Extra options."),
        confidence: "confirmed",
      },
    },
    queryOptions: {
      flash: {
        methods: ["send"],
        kind: "flash",
        format: flag,
        default: "0",
        smscError: 1,
        description: text("Flash SMS."),
        confidence: "confirmed",
      },
    },
    results: {
      id: {
        types: ["SendResponseType"],
        valueType: "string",
        description: text("Id."),
        confidence: "confirmed",
      },
      error: {
        types: ["SendResponseType", "BalanceResponseType"],
        valueType: "integer",
        description: text("Error code."),
        confidence: "confirmed",
      },
      balance: {
        types: ["BalanceResponseType"],
        valueType: "decimal",
        description: text("Balance."),
        confidence: "confirmed",
      },
    },
    messageKinds: {
      flash: {
        option: "flash",
        values: ["1"],
        ignoresMes: false,
        needsSubj: false,
        statusType: 1,
        confidence: "confirmed",
      },
    },
    kindConflicts: [],
    errors: {
      send: [{ code: 1, class: "invalid_request", text: "Error in parameters.", confidence: "confirmed" }],
      balance: [{ code: 2, class: "auth", text: "Invalid login or password.", confidence: "confirmed" }],
    },
    statuses: [
      {
        code: 0,
        name: "Transferred",
        nameRu: "Передано оператору",
        description: "Handed over.",
        final: false,
        kind: "pending",
        confidence: "confirmed",
      },
      {
        code: 1,
        name: "Delivered",
        nameRu: "Доставлено",
        description: "Delivered.",
        final: true,
        kind: "delivered",
        confidence: "confirmed",
      },
    ],
    statusTransitions: [{ from: 0, to: [1] }],
    deliveryErrors: [
      { code: 0, name: "No error", nameRu: "Нет ошибки", description: "Fine.", confidence: "confirmed" },
    ],
    rateRules: [
      {
        id: "balance-polling",
        method: "balance",
        measure: "requests",
        limit: 10,
        windowSeconds: 60,
        scope: "login",
        outcome: { error: 2 },
        description: text("Polling."),
        confidence: "confirmed",
      },
    ],
    segments: {
      maxChars: 1000,
      gsm7: { single: 160, multi: 153 },
      ucs2: { single: 70, multi: 67 },
      gsm7Basic: "@abc",
      gsm7Extension: "^{}",
      extensionUnits: 2,
      confidence: "inferred",
    },
    callback: {
      signature: {
        fields: ["id", "phone", "status"],
        secretPosition: "last",
        separator: ":",
        algorithms: ["md5", "sha1"],
        encoding: "hex-lower",
        signatureFields: { md5: "md5", sha1: "sha1" },
        description: { en: "Digest of id:phone:status:secret." },
        confidence: "inferred",
      },
    },
  });
}

export async function makeTmpDir(prefix: string): Promise<string> {
  await mkdir(TMP_ROOT, { recursive: true });
  return mkdtemp(path.join(TMP_ROOT, `${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes smsc.wsdl + catalog.yaml into a fresh temp dir and returns its path. */
export async function writeSpec(
  wsdl: MiniWsdl | string,
  catalog: MiniCatalog | string,
  prefix = "spec",
): Promise<string> {
  const dir = await makeTmpDir(prefix);
  await writeFile(path.join(dir, "smsc.wsdl"), typeof wsdl === "string" ? wsdl : buildWsdl(wsdl));
  await writeFile(path.join(dir, "catalog.yaml"), typeof catalog === "string" ? catalog : stringify(catalog));
  return dir;
}

/** SMSC adds get_sms_cost to the mini WSDL (a new method, `cost`). */
export function addCostOperation(wsdl: MiniWsdl): void {
  wsdl.operations.push({
    name: "get_sms_cost",
    input: {
      element: "cost",
      fields: [{ name: "login" }, { name: "psw" }, { name: "phones" }, { name: "mes" }],
    },
    output: { element: "CostResponse", wrapper: "costresult", type: "CostResponseType" },
  });
  wsdl.complexTypes["CostResponseType"] = [{ name: "error", minOccurs: 0 }];
}

/** The catalog entries that describe get_sms_cost. */
export function describeCostOperation(catalog: MiniCatalog): void {
  catalog.operations.get_sms_cost = { method: "cost", description: { en: "Cost." } };
  catalog.methods.cost = { description: { en: "Cost." }, idempotent: true, confidence: "inferred" };
  catalog.errors.cost = [
    { code: 1, class: "invalid_request", text: "Error in parameters.", confidence: "confirmed" },
  ];
  for (const f of ["login", "psw", "phones", "mes"]) {
    catalog.fields[f].elements.push("cost");
    catalog.fields[f].methods.push("cost");
  }
  catalog.results.error.types.push("CostResponseType");
}
