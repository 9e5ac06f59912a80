/** A logger that keeps every line, so tests can check what was (and was not) logged. */
import type { Logger } from "@smsc-kit/core";

export interface RecordingLogger extends Logger {
  lines: { level: string; fields: Record<string, unknown>; message: string }[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger["lines"] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields)}`).join("\n"),
  };
}
