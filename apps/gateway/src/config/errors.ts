/** One problem in the configuration: where it is and which rule it breaks. */
export interface ConfigProblem {
  /** Dotted path inside the config, e.g. `http.port`. */
  path: string;
  /** The rule that was broken, in words. */
  rule: string;
  /** Where the bad value came from: the YAML file or an environment variable. */
  source?: string;
}

/** Thrown when the configuration cannot be used; start-up stops and every problem is printed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid gateway configuration:\n${problems
        .map((p) => `  - ${p.path || "(root)"}: ${p.rule}${p.source ? ` (from ${p.source})` : ""}`)
        .join("\n")}`,
    );
    this.problems = problems;
  }
}
