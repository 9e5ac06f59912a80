import { HEADER } from "./literal.js";

export function emitIndex(): string {
  return `${HEADER}

export * from "./codes.js";
export * from "./methods.js";
export * from "./operations.js";
export * from "./options.js";
export * from "./schemas.js";
export * from "./types.js";
`;
}
