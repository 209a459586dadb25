import { z } from "zod";
import { AppError } from "../errors/app-error";
import { apiKeyOutput } from "./key-schemas";

/** A key as created: its view plus the secret, which no later response repeats. */
export const createdKeyOutput = apiKeyOutput.extend({
  key: z.string().describe("The full API key. Shown once: store it now, it cannot be read again."),
});

/** A key as rotated: the new secret, and until when the previous one keeps working. */
export const rotatedKeyOutput = createdKeyOutput.extend({
  previousValidUntil: z.string().describe("ISO 8601: the superseded secret is refused from this moment on."),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key id from the URL: anything but a UUID is a key that does not exist (404). */
export function parseKeyId(id: string | undefined): string {
  if (!id || !UUID.test(id)) throw new AppError("not_found", "API key not found");
  return id;
}
