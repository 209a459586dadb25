import { NextResponse } from "next/server";
import { authorizeLink } from "@/lib/auth/identities";
import { setLinkCookie } from "@/lib/auth/oidc-link";
import { readJsonBody } from "@/lib/auth/route-common";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { withUserRoute } from "@/lib/auth/user-route";

/**
 * Step one of linking the OIDC provider to this account: confirm the
 * password; the answer sets a 10-minute link cookie, and the console then
 * starts the provider's sign-in, whose callback links instead of signing in.
 */
export const POST = withUserRoute(async (ctx) => {
  await authorizeLink(ctx.user, await readJsonBody(ctx.req), requestMetaOf(ctx));
  const res = NextResponse.json({ data: { provider: "oidc" } });
  setLinkCookie(res, ctx.session.id);
  return res;
});
