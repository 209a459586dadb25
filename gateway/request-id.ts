import { randomUUID } from "node:crypto";

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The request id of this request: the caller's `x-request-id` when it is a
 * plain token (≤128 of [A-Za-z0-9._-]), else a fresh uuid. Anything else (a
 * repeated header, spaces, control characters) is replaced, never echoed, so
 * the id is safe in headers and log lines.
 */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  if (typeof incoming === "string" && VALID_REQUEST_ID.test(incoming)) return incoming;
  return randomUUID();
}
