import type { Model } from "../model.js";
import { dataLiteral, docComment, HEADER, stringLiteral } from "./literal.js";

export function emitOperations(model: Model): string {
  const operations = Object.fromEntries(
    model.operations.map((op) => [
      op.name,
      {
        name: op.name,
        method: op.method,
        inputElement: op.inputElement,
        outputElement: op.outputElement,
        resultElement: op.resultElement,
        resultType: op.resultType,
        hasQuery: op.hasQuery,
        description: op.description,
        inputFields: op.inputFields.map((f) => ({ name: f.name, required: f.required })),
        resultFields: op.resultFields.map((f) => ({
          name: f.name,
          required: f.required,
          repeated: f.repeated,
          type: f.type,
        })),
        example: op.example,
      },
    ]),
  );
  const methodOperations = Object.fromEntries(
    model.methods.map((m) => [m.name, { plain: m.plain, withQuery: m.withQuery }]),
  );
  const errorTypeFields = model.errorTypeFields.map((f) => ({
    name: f.name,
    required: f.required,
    repeated: f.repeated,
    type: f.type,
  }));

  return `${HEADER}

${docComment("Path of the SOAP endpoint on every SMSC host; the WSDL is served at the same path with ?wsdl.")}export const SOAP_PATH = ${stringLiteral(model.soapPath)} as const;

${docComment(`Namespace policy: ${model.namespacePolicy}. ${model.namespaceNote}`)}export const NAMESPACE_POLICY = ${stringLiteral(model.namespacePolicy)} as const;

${docComment("targetNamespace (= soapAction) written in spec/smsc.wsdl; a real call uses <origin>/sys/soap.php of the host being called.")}export const SPEC_NAMESPACE = ${stringLiteral(model.specNamespace)} as const;

${docComment("soap:address written in spec/smsc.wsdl.")}export const SPEC_ADDRESS = ${stringLiteral(model.specAddress)} as const;

${docComment("WSDL service and port names.")}export const SERVICE = ${dataLiteral({ service: model.serviceName, port: model.portName })} as const;

${docComment("Name of the input field that carries the extra options of the *2 operations.")}export const QUERY_FIELD = "query" as const;

${docComment("Every SOAP operation, keyed by operation name; field lists are in xsd:sequence order (the order on the wire); `example`: the catalog's example answer in wire form (null when it declares none).")}export const OPERATIONS = ${dataLiteral(operations)} as const;

export type OperationName = keyof typeof OPERATIONS;

${docComment("For each method: the operation without `query` and the one with it (null if none).")}export const METHOD_OPERATIONS = ${dataLiteral(methodOperations)} as const;

${docComment("Fields of the WSDL `Error` type (items of Send2ResponseType.errors).")}export const ERROR_TYPE_FIELDS = ${dataLiteral(errorTypeFields)} as const;
`;
}
