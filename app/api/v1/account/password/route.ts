import { NextResponse } from "next/server";
import { changePassword } from "@/lib/auth/change-password";
import { readJsonBody } from "@/lib/auth/route-common";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { withUserRoute } from "@/lib/auth/user-route";

/** Changes the password; other sessions end, this one gets a new cookie. */
export const POST = withUserRoute(async (ctx) => {
  const session = await changePassword({ user: ctx.user, session: ctx.session }, await readJsonBody(ctx.req), requestMetaOf(ctx));
  const res = NextResponse.json({ data: { changed: true } });
  await setSessionCookie(res, ctx.user, session);
  return res;
});
