import { checkCatalogRules } from "./catalog-rules.js";
import type { Catalog } from "./catalog-schema.js";
import { crossCheck } from "./cross-check.js";
import { exampleProblems } from "./example-check.js";
import {
  ALL_OPTION,
  byName,
  camelCase,
  catalogParameters,
  catalogResults,
  inputTypeName,
  type Model,
  type ModelComplexType,
  type ModelMethod,
  type ModelMethodResultField,
  type ModelOperation,
  type ModelParameter,
  type ModelResultField,
  type ModelResultFieldMeta,
  pascalCase,
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
  const problems = [
    ...checkCatalogRules(catalog),
    ...crossCheck(wsdl, catalog),
    ...exampleProblems(wsdl, catalog),
  ];
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
        example: entry.example ?? null,
      };
    })
    .sort(byName);

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
  const results = catalogResults(catalog);
  const methods = compileMethods(catalog, operations, resultTypes, results, [...fields, ...queryOptions]);
  return {
    soapPath: catalog.soap.path,
    namespacePolicy: catalog.soap.namespacePolicy,
    namespaceNote: catalog.soap.namespaceNote,
    specNamespace: wsdl.targetNamespace,
    specAddress: wsdl.soapAddress,
    serviceName: wsdl.serviceName,
    portName: wsdl.portName,
    methods,
    operations,
    inputTypes,
    resultTypes,
    errorTypeFields: errorType?.fields ?? [],
    fields,
    queryOptions,
    results,
    messageKinds: catalog.messageKinds,
    kindConflicts: catalog.kindConflicts,
    errors: catalog.errors,
    statuses: [...catalog.statuses].sort((a, b) => a.code - b.code),
    statusTransitions: [...catalog.statusTransitions].sort((a, b) => a.from - b.from),
    deliveryErrors: [...catalog.deliveryErrors].sort((a, b) => a.code - b.code),
    rateRules: catalog.rateRules,
    requestLimits: catalog.requestLimits,
    segments: catalog.segments,
    callback: catalog.callback,
  };
}

/**
 * One entry per method, in catalog order: its two operations (plain and with `query`, told apart by the
 * WSDL), and the union of its result types' fields with what the catalog says about each.
 */
function compileMethods(
  catalog: Catalog,
  operations: readonly ModelOperation[],
  resultTypes: readonly ModelComplexType[],
  results: readonly ModelResultFieldMeta[],
  parameters: readonly ModelParameter[],
): ModelMethod[] {
  const typeFields = new Map(resultTypes.map((t) => [t.tsName, t.fields]));
  const meta = new Map(results.map((r) => [r.name, r]));
  return Object.entries(catalog.methods).map(([name, entry]) => {
    const own = operations.filter((o) => o.method === name);
    const plain = own.find((o) => !o.hasQuery);
    const withQuery = own.find((o) => o.hasQuery);
    const resultFields: ModelMethodResultField[] = [];
    for (const op of [plain, withQuery]) {
      for (const field of op?.resultFields ?? []) {
        if (resultFields.some((f) => f.name === field.name)) continue;
        const info = meta.get(field.name);
        const recordFields = (typeFields.get(field.type) ?? []).map((sub) => ({
          name: sub.name,
          property: camelCase(sub.name),
          valueType: meta.get(sub.name)?.valueType ?? "string",
          required: sub.required,
        }));
        resultFields.push({
          name: field.name,
          property: camelCase(field.name),
          valueType: info?.valueType ?? "string",
          recordFields: field.type === "string" ? [] : recordFields,
          repeated: field.repeated,
          required: info?.requiredIn.includes(name) ?? false,
          // `all` levels only mean something to methods that take the `all` option (status).
          allLevel: parameters.some((p) => p.name === ALL_OPTION && p.methods.includes(name))
            ? (info?.allLevel ?? null)
            : null,
          example: info?.example ?? null,
          description: info?.description ?? "",
        });
      }
    }
    return {
      name,
      tsName: camelCase(name),
      typeStem: pascalCase(name),
      description: entry.description.en,
      idempotent: entry.idempotent,
      confidence: entry.confidence,
      plain: plain?.name ?? "",
      withQuery: withQuery?.name ?? null,
      resultFields,
      parameters: parameters
        .filter((p) => !p.credential && p.name !== QUERY_FIELD && p.methods.includes(name))
        .map((p) => p.name),
    };
  });
}
