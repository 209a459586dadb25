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

export const contentTypeStage: Stage = {
  name: "content-type",
  appliesTo: (route) => route.method === "POST",
  run(ctx) {
    if (!isJsonContentType(ctx.req.headers["content-type"])) {
      throw new AppError("unsupported_media_type", "Content-Type must be application/json");
    }
  },
};
