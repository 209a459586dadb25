import { NextResponse } from "next/server";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { withUserRoute } from "@/lib/auth/user-route";
import { disableMfa } from "@/lib/mfa/enrollment";
import { getMfaStatus } from "@/lib/mfa/mfa-status";

/** The signed-in user's MFA state. */
export const GET = withUserRoute(async ({ user }) => {
  const status = await getMfaStatus(user.id);
  return NextResponse.json({
    data: { enabled: status.enabled, enabledAt: status.enabledAt?.toISOString() ?? null, recoveryCodesLeft: status.recoveryCodesLeft },
  });
});

/** Turns MFA off (step-up); every other session of the user ends. */
export const DELETE = withUserRoute(
  async (ctx) => {
    await disableMfa({ userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, ...requestMetaOf(ctx) });
    return NextResponse.json({ data: { enabled: false } });
  },
  { stepUp: true },
);
