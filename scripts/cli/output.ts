import { AppError } from "../../lib/errors/app-error";

/** Exit codes of `mg`: a stable contract for scripts. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

export type Printer = {
  json: boolean;
  /** One result: a JSON object with --json, else the human lines. */
  result(value: unknown, human: () => string): void;
};

export function printer(json: boolean): Printer {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
  };
}

/** Errors go to stderr (as JSON with --json) with a non-zero exit code. */
export function reportError(err: unknown, json: boolean): number {
  const usage = err instanceof UsageError;
  const app = err instanceof AppError ? err : null;
  const code = usage ? "usage" : (app?.code ?? "internal_error");
  const raw = (err as Error).message ?? String(err);
  const lastLine = raw.trim().split("\n").pop() ?? raw;
  const message = usage || app ? raw : `unexpected error: ${lastLine}`;
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message, ...(app?.fields && { fields: app.fields }) } })}\n`);
  } else {
    process.stderr.write(`mg: ${message}\n`);
    for (const [field, text] of Object.entries(app?.fields ?? {})) process.stderr.write(`  ${field}: ${text}\n`);
  }
  return usage ? EXIT.usage : EXIT.failed;
}

export function table(rows: Record<string, string>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? "")))].join("\n");
}

export function csv(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(",").map((s) => s.trim()).filter(Boolean);
}

/** "90s", "15m", "1h", "7d", or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`"${text}" is not a duration (e.g. 90s, 15m, 1h, 7d)`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? "s") as "s"];
}
