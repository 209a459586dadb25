import { AppError } from "../../lib/errors/app-error";
import type { Stage } from "./types";

/** `application/json`, optionally with `charset=utf-8` (JSON is UTF-8; RFC 8259). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(";");
  if (type!.trim().toLowerCase() !== "application/json") return false;
  for (const param of params) {
    const [name, rawValue = ""] = param.split("=", 2);
    if (name!.trim().toLowerCase() !== "charset") continue;
    const value = rawValue.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (value !== "utf-8" && value !== "utf8") return false;
  }
  return true;
}

/** Answers for the Content-Type values seen lately: clients send the same few, request after request. */
const seen = new Map<string, boolean>();

function isJsonContentTypeCached(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header.length > 64) return isJsonContentType(header);
  let ok = seen.get(header);
  if (ok === undefined) {
    ok = isJsonContentType(header);
    if (seen.size >= 256) seen.clear();
    seen.set(header, ok);
  }
  return ok;
}

export const contentTypeStage: Stage = {
  name: "content-type",
  appliesTo: (route) => route.method === "POST",
  run(ctx) {
    if (!isJsonContentTypeCached(ctx.req.headers["content-type"])) {
      throw new AppError("unsupported_media_type", "Content-Type must be application/json");
    }
  },
};
