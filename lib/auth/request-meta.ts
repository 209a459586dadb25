import "server-only";
import type { AuditContext } from "../audit/record-audit";
import { clientIpOf } from "./route-common";
import type { RequestMeta } from "./step-up";

/** Where a request came from, for sessions and user-level audit entries. */
export function requestMetaOf(ctx: { req: Request; requestId: string }): RequestMeta {
  return { ip: clientIpOf(ctx.req), userAgent: ctx.req.headers.get("user-agent")?.slice(0, 512) ?? null, requestId: ctx.requestId };
}

/** The audit context of a signed-in user's request. */
export function userAuditContext(ctx: { req: Request; requestId: string; user: { id: string } }): AuditContext {
  const meta = requestMetaOf(ctx);
  return { actor: { type: "user", id: ctx.user.id }, requestId: meta.requestId, ip: meta.ip, userAgent: meta.userAgent };
}
