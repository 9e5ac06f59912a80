import type {
  Catalog,
  CatalogField,
  CatalogQueryOption,
  CatalogResultField,
  Format,
  Method,
} from "./catalog-schema.js";

// The intermediate model: compiled once from WSDL + catalog, then every emitter (and the semantic diff)
// reads only this. Collections are sorted here so emitters stay order-agnostic. The set of methods and
// operations is read from the spec: no emitter names one.

/** The element field that carries the extra options of the *2 operations. */
export const QUERY_FIELD = "query";

/** The option that selects how much a status answer carries (results' `allLevel`). */
export const ALL_OPTION = "all";

/** The result field that carries the in-band error code (absent or 0 on success). */
export const ERROR_FIELD = "error";

export interface ModelInputField {
  name: string;
  required: boolean;
}

export interface ModelResultField {
  name: string;
  required: boolean;
  repeated: boolean;
  /** "string" for xsd:string leaves, else the TS name of the complex type. */
  type: string;
}

export interface ModelOperation {
  name: string;
  method: Method;
  description: string;
  soapAction: string;
  inputElement: string;
  inputType: string;
  outputElement: string;
  resultElement: string;
  resultType: string;
  hasQuery: boolean;
  inputFields: ModelInputField[];
  resultFields: ModelResultField[];
  /** The catalog's example answer (wire form), or null. */
  example: Readonly<
    Record<string, string | readonly string[] | readonly Readonly<Record<string, string>>[]>
  > | null;
}

export interface ModelComplexType {
  /** Name in the WSDL (element name for inputs, complexType name for results). */
  xsdName: string;
  tsName: string;
  fields: ModelResultField[];
}

export interface ModelParameter {
  name: string;
  /** "field" = a WSDL element field; "query" = an option inside `query`. */
  origin: "field" | "query";
  elements: string[];
  methods: Method[];
  format: Format;
  rule: string;
  default: string | null;
  smscError: number;
  credential: boolean;
  secret: boolean;
  onInvalid: "error" | "clamped" | "defaults" | "ignored";
  requires: string[];
  ignoredWithout: string[];
  replaces: string[];
  kind: string | null;
  description: string;
  descriptionRu: string | null;
  confidence: string;
  notes: string | null;
}

export interface ModelMethod {
  name: string;
  /** camelCase name of the client method and the request/result types (`get_info` → `getInfo`). */
  tsName: string;
  /** PascalCase stem of its types (`send` → `Send`). */
  typeStem: string;
  description: string;
  idempotent: boolean;
  confidence: string;
  /** The operation without `query`. */
  plain: string;
  /** The operation whose input carries `query` (null if none). */
  withQuery: string | null;
  /** Result fields of the method's result types, in first-seen WSDL order. */
  resultFields: ModelMethodResultField[];
  /** Parameters (fields and query options) the method accepts, credentials excluded. */
  parameters: string[];
}

export interface ModelMethodResultField {
  name: string;
  /** camelCase property name on the decoded result. */
  property: string;
  valueType: CatalogResultField["valueType"];
  /**
   * For `record` fields: the fields of one item. `required`: the item type declares it with minOccurs ≥ 1
   * (the decoder refuses an item without it, as it refuses an answer without a top-level required field).
   */
  recordFields: {
    name: string;
    property: string;
    valueType: CatalogResultField["valueType"];
    required: boolean;
  }[];
  repeated: boolean;
  required: boolean;
  allLevel: number | null;
  example: string | null;
  description: string;
}

export interface ModelResultFieldMeta {
  name: string;
  types: string[];
  valueType: CatalogResultField["valueType"];
  allLevel: number | null;
  requiredIn: string[];
  example: string | null;
  description: string;
  confidence: string;
  notes: string | null;
}

export interface Model {
  soapPath: string;
  namespacePolicy: string;
  namespaceNote: string;
  specNamespace: string;
  specAddress: string;
  serviceName: string;
  portName: string;
  /** In catalog order (`methods:`). */
  methods: ModelMethod[];
  operations: ModelOperation[];
  inputTypes: ModelComplexType[];
  resultTypes: ModelComplexType[];
  errorTypeFields: ModelResultField[];
  fields: ModelParameter[];
  queryOptions: ModelParameter[];
  results: ModelResultFieldMeta[];
  messageKinds: Catalog["messageKinds"];
  kindConflicts: Catalog["kindConflicts"];
  errors: Catalog["errors"];
  statuses: Catalog["statuses"];
  statusTransitions: Catalog["statusTransitions"];
  deliveryErrors: Catalog["deliveryErrors"];
  rateRules: Catalog["rateRules"];
  requestLimits: Catalog["requestLimits"];
  segments: Catalog["segments"];
  callback: Catalog["callback"];
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function sortedEntries<V>(record: Record<string, V>): [string, V][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `get_info` → `getInfo`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `get_info` → `GetInfo`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return `${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}

/** Input element `send2` → `Send2Input`. */
export function inputTypeName(element: string): string {
  return `${element.charAt(0).toUpperCase()}${element.slice(1)}Input`;
}

/** Named complexType `Error` → `ErrorType`; names already ending in "Type" stay. */
export function resultTypeName(complexType: string): string {
  return complexType.endsWith("Type") ? complexType : `${complexType}Type`;
}

function describeSimple(format: Format): string {
  switch (format.kind) {
    case "text": {
      const parts: string[] = [];
      const chars = (n: number) => `${n} character${n === 1 ? "" : "s"}`;
      if (format.minLength !== undefined && format.maxLength !== undefined) {
        parts.push(`${format.minLength}..${format.maxLength} characters`);
      } else if (format.maxLength !== undefined) parts.push(`at most ${chars(format.maxLength)}`);
      else if (format.minLength !== undefined) parts.push(`at least ${chars(format.minLength)}`);
      if (format.patterns) {
        parts.push(`one of: ${format.patterns.map((p) => `${p.name} (${p.description})`).join("; ")}`);
      }
      return parts.length > 0 ? parts.join(", ") : "text";
    }
    case "integer":
    case "decimal": {
      const noun = format.kind === "integer" ? "an integer" : "a number";
      if (format.min !== undefined && format.max !== undefined) return `${noun} ${format.min}..${format.max}`;
      if (format.min !== undefined) return `${noun} >= ${format.min}`;
      if (format.max !== undefined) return `${noun} <= ${format.max}`;
      return noun;
    }
    case "enum": {
      const values = format.values.map((v) => JSON.stringify(v.value)).join(", ");
      return format.suffixPattern
        ? `one of ${values}, optionally followed by ${format.suffixDescription ?? format.suffixPattern}`
        : `one of ${values}`;
    }
    case "list":
      return `a list separated by ${format.separators.map((s) => JSON.stringify(s)).join(" or ")} of: ${format.items
        .map((i) => `${i.name} (${i.description})`)
        .join("; ")}`;
    case "anyOf":
      return format.alternatives.map(describeSimple).join(", or ");
  }
}

/** The human-readable rule a value must satisfy, derived from its format. */
export function describeFormat(format: Format): string {
  return describeSimple(format);
}

function parameter(
  name: string,
  origin: "field" | "query",
  entry: CatalogField | CatalogQueryOption,
  methodOrder: readonly string[],
): ModelParameter {
  return {
    name,
    origin,
    elements: "elements" in entry ? [...entry.elements].sort() : [],
    methods: methodOrder.filter((m) => entry.methods.includes(m)),
    format: entry.format,
    rule: describeFormat(entry.format),
    default: entry.default ?? null,
    smscError: entry.smscError,
    credential: entry.credential ?? false,
    secret: entry.secret ?? false,
    onInvalid: entry.onInvalid ?? "error",
    requires: [...(entry.requires ?? [])].sort(),
    ignoredWithout: [...(entry.ignoredWithout ?? [])].sort(),
    replaces: [...(entry.replaces ?? [])].sort(),
    kind: "kind" in entry ? (entry.kind ?? null) : null,
    description: entry.description.en,
    descriptionRu: entry.description.ru ?? null,
    confidence: entry.confidence,
    notes: entry.notes ?? null,
  };
}

export function catalogParameters(catalog: Catalog): {
  fields: ModelParameter[];
  queryOptions: ModelParameter[];
} {
  const order = Object.keys(catalog.methods);
  return {
    fields: sortedEntries(catalog.fields).map(([name, f]) => parameter(name, "field", f, order)),
    queryOptions: sortedEntries(catalog.queryOptions).map(([name, o]) => parameter(name, "query", o, order)),
  };
}

export function catalogResults(catalog: Catalog): ModelResultFieldMeta[] {
  return sortedEntries(catalog.results).map(([name, r]) => ({
    name,
    types: [...r.types].sort(),
    valueType: r.valueType,
    allLevel: r.allLevel ?? null,
    requiredIn: [...(r.requiredIn ?? [])].sort(),
    example: r.example ?? null,
    description: r.description.en,
    confidence: r.confidence,
    notes: r.notes ?? null,
  }));
}
