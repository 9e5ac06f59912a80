import type { Writable } from "node:stream";

/**
 * Everything the CLI prints goes through here, so one place guarantees that no credential reaches the
 * terminal, even inside an error message that some library built from a request.
 */
export class CliOutput {
  private readonly secrets: string[] = [];

  constructor(
    readonly json: boolean,
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  addSecrets(values: readonly string[]): void {
    for (const value of values) if (value.length >= 3) this.secrets.push(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("[redacted]");
    return out;
  }

  /** The command's result: JSON on stdout with `--json`, otherwise the human lines. */
  result(value: unknown, human: () => string): void {
    this.stdout.write(`${this.scrub(this.json ? JSON.stringify(value, jsonReplacer) : human())}\n`);
  }

  /** Progress and notes go to stderr so `--json` output on stdout stays machine-readable. */
  note(text: string): void {
    this.stderr.write(`${this.scrub(text)}\n`);
  }

  /** Rewrites the current stderr line on a terminal (progress bars); plain lines otherwise. */
  progress(text: string, isTty: boolean): void {
    this.stderr.write(isTty ? `\r\u001b[2K${this.scrub(text)}` : `${this.scrub(text)}\n`);
  }

  error(payload: Record<string, unknown>, human: string): void {
    if (this.json) this.stdout.write(`${this.scrub(JSON.stringify({ error: payload }, jsonReplacer))}\n`);
    else this.stderr.write(`${this.scrub(`error: ${human}`)}\n`);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  return value;
}
