import { AppError } from "../../lib/errors/app-error";
import { DEFAULT_MAX_BODY_BYTES, readBodyLimited } from "./body-limit";
import type { Stage } from "./types";

/**
 * Reads and parses the JSON body of a POST, within the size limit (checked
 * again while streaming: Content-Length may be absent or wrong). Placed after
 * authentication, so no memory is spent on bodies of unauthenticated clients.
 */
export function readBodyStage(maxBytes: number = DEFAULT_MAX_BODY_BYTES): Stage {
  return {
    name: "read-body",
    appliesTo: (route) => route.method === "POST",
    async run(ctx) {
      let raw: Buffer;
      ctx.acceptBody();
      try {
        raw = await readBodyLimited(ctx.req, maxBytes);
      } catch (err) {
        if (err instanceof AppError) ctx.closeConnection = true;
        throw err;
      }
      try {
        ctx.body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new AppError("bad_request", "Request body is not valid JSON");
      }
    },
  };
}
