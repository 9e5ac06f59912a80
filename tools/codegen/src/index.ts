// Programmatic API of the generator (the CLI in cli.ts is a thin wrapper around it).

export type { Catalog } from "./catalog-schema.js";
export { catalogSchema, ERROR_CLASS_NAMES } from "./catalog-schema.js";
export { type Bump, type Change, describeBump, diffModels, impliedBump } from "./diff.js";
export { emitDocs } from "./emit/docs.js";
export {
  CATALOG_FILE,
  CATALOG_SCHEMA_FILE,
  catalogJsonSchema,
  emitAll,
  loadModel,
  WSDL_FILE,
} from "./generate.js";
export type { Model } from "./model.js";
export { SpecError } from "./spec-error.js";
