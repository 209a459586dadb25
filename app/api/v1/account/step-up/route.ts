import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/auth/route-common";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { stepUp, stepUpWindowSeconds } from "@/lib/auth/step-up";
import { withUserRoute } from "@/lib/auth/user-route";
import { parseInput } from "@/lib/errors/validation";
import { stepUpInput } from "@/lib/mfa/mfa-schemas";

/**
 * Verifies a TOTP or recovery code for this session: on success the session
 * is replaced by a new one (new cookie) allowed sensitive actions until
 * `stepUpUntil`. Wrong codes: 401 `invalid_mfa_code`; malformed: 400.
 */
export const POST = withUserRoute(async (ctx) => {
  const input = parseInput(stepUpInput, await readJsonBody(ctx.req));
  const session = await stepUp(
    { user: ctx.user, session: ctx.session },
    input.code !== undefined ? { code: input.code } : { recoveryCode: input.recoveryCode! },
    requestMetaOf(ctx),
  );
  const stepUpUntil = new Date(session.stepUpAt!.getTime() + stepUpWindowSeconds() * 1000);
  const res = NextResponse.json({ data: { stepUpUntil: stepUpUntil.toISOString() } });
  await setSessionCookie(res, ctx.user, session);
  return res;
});
