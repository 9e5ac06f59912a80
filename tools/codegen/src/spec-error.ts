/** A problem in spec/ (or between its two files). `problems` lists every finding, one line each. */
export class SpecError extends Error {
  readonly problems: readonly string[];

  constructor(summary: string, problems: readonly string[]) {
    super(`${summary}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SpecError";
    this.problems = problems;
  }
}
