import type { z } from "zod";
import { AppError, type FieldErrors } from "./app-error";

/** zod issues → one message per field (the first issue of each). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Parses untrusted input or throws a 400 `validation_failed` with field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrorsOf(result.error);
  const first = Object.entries(fields)[0]!;
  throw new AppError("validation_failed", `${first[0]}: ${first[1]}`, { fields });
}
