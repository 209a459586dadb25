import { NextResponse } from "next/server";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { requireStepUp } from "@/lib/auth/step-up";
import { withUserRoute } from "@/lib/auth/user-route";
import { startEnrollment } from "@/lib/mfa/enrollment";

/**
 * Starts TOTP enrolment: a new secret (QR code and text). When MFA is already
 * on this is a reset, a step-up action; the current TOTP keeps working until
 * the new one is confirmed.
 */
export const POST = withUserRoute(async (ctx) => {
  if (ctx.session.mfaEnabled) requireStepUp(ctx);
  const started = await startEnrollment({ userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, ...requestMetaOf(ctx) });
  return NextResponse.json({ data: started });
});
