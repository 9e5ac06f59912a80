import { checkCatalogRules } from "./catalog-rules.js";
import type { Catalog } from "./catalog-schema.js";
import { crossCheck } from "./cross-check.js";
import {
  byName,
  catalogParameters,
  catalogResults,
  inputTypeName,
  type Model,
  type ModelComplexType,
  type ModelOperation,
  type ModelResultField,
  QUERY_FIELD,
  resultTypeName,
} from "./model.js";
import type { WsdlModel, XsdField } from "./read-wsdl.js";
import { SpecError } from "./spec-error.js";

function resultField(field: XsdField): ModelResultField {
  return {
    name: field.name,
    required: field.minOccurs > 0,
    repeated: field.maxOccurs === null || field.maxOccurs > 1,
    type: field.builtin ? "string" : resultTypeName(field.type),
  };
}

/** Cross-checks WSDL and catalog, then compiles both into the intermediate model. */
export function compileModel(wsdl: WsdlModel, catalog: Catalog): Model {
  const problems = [...checkCatalogRules(catalog), ...crossCheck(wsdl, catalog)];
  if (problems.length > 0) throw new SpecError("spec/ is inconsistent", problems);

  const operations: ModelOperation[] = wsdl.operations
    .map((op) => {
      const entry = catalog.operations[op.name];
      const inputs = wsdl.elements.get(op.inputElement) ?? [];
      const wrapper = (wsdl.elements.get(op.outputElement) ?? [])[0];
      if (!entry || !wrapper)
        throw new SpecError("spec/ is inconsistent", [`operation ${op.name} is incomplete`]);
      return {
        name: op.name,
        method: entry.method,
        variant: entry.variant,
        description: entry.description.en,
        soapAction: op.soapAction,
        inputElement: op.inputElement,
        inputType: inputTypeName(op.inputElement),
        outputElement: op.outputElement,
        resultElement: wrapper.name,
        resultType: resultTypeName(wrapper.type),
        hasQuery: inputs.some((f) => f.name === QUERY_FIELD),
        inputFields: inputs.map((f) => ({ name: f.name, required: f.minOccurs > 0 })),
        resultFields: (wsdl.complexTypes.get(wrapper.type) ?? []).map(resultField),
      };
    })
    .sort(byName);

  const methodVariants = new Map<string, number[]>();
  for (const op of operations)
    methodVariants.set(op.method, [...(methodVariants.get(op.method) ?? []), op.variant]);
  const variantProblems: string[] = [];
  for (const [method, variants] of methodVariants) {
    if (variants.filter((v) => v === 1).length !== 1 || variants.filter((v) => v === 2).length > 1) {
      variantProblems.push(
        `catalog.yaml operations: method "${method}" needs exactly one variant 1 and at most one variant 2`,
      );
    }
  }
  if (variantProblems.length > 0) throw new SpecError("spec/ is inconsistent", variantProblems);

  const inputTypes: ModelComplexType[] = [...new Set(operations.map((o) => o.inputElement))]
    .sort()
    .map((element) => ({
      xsdName: element,
      tsName: inputTypeName(element),
      fields: (wsdl.elements.get(element) ?? []).map(resultField),
    }));
  const resultTypeNames = new Set<string>();
  const collect = (typeName: string) => {
    if (resultTypeNames.has(typeName)) return;
    resultTypeNames.add(typeName);
    for (const f of wsdl.complexTypes.get(typeName) ?? []) if (!f.builtin) collect(f.type);
  };
  for (const op of wsdl.operations) {
    const wrapper = (wsdl.elements.get(op.outputElement) ?? [])[0];
    if (wrapper) collect(wrapper.type);
  }
  const resultTypes: ModelComplexType[] = [...resultTypeNames].sort().map((name) => ({
    xsdName: name,
    tsName: resultTypeName(name),
    fields: (wsdl.complexTypes.get(name) ?? []).map(resultField),
  }));
  const errorType = resultTypes.find((t) => t.tsName === "ErrorType");

  const { fields, queryOptions } = catalogParameters(catalog);
  return {
    soapPath: catalog.soap.path,
    namespacePolicy: catalog.soap.namespacePolicy,
    namespaceNote: catalog.soap.namespaceNote,
    specNamespace: wsdl.targetNamespace,
    specAddress: wsdl.soapAddress,
    serviceName: wsdl.serviceName,
    portName: wsdl.portName,
    operations,
    inputTypes,
    resultTypes,
    errorTypeFields: errorType?.fields ?? [],
    fields,
    queryOptions,
    results: catalogResults(catalog),
    messageKinds: catalog.messageKinds,
    kindConflicts: catalog.kindConflicts,
    errors: catalog.errors,
    statuses: [...catalog.statuses].sort((a, b) => a.code - b.code),
    statusTransitions: [...catalog.statusTransitions].sort((a, b) => a.from - b.from),
    deliveryErrors: [...catalog.deliveryErrors].sort((a, b) => a.code - b.code),
    rateRules: catalog.rateRules,
    segments: catalog.segments,
    callback: catalog.callback,
  };
}
