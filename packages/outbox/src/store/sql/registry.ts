import type { Statement } from "./statement.js";
import * as statements from "./statements/index.js";

/** All statements, for checks that must cover each one (the conformance suite runs every one on both stores). */
export const STATEMENTS: readonly Statement<never>[] = Object.values(statements);
