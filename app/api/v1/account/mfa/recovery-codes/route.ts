import { NextResponse } from "next/server";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { withUserRoute } from "@/lib/auth/user-route";
import { regenerateRecoveryCodes } from "@/lib/mfa/enrollment";

/** Ten new recovery codes (step-up); the old ones stop working. Shown once. */
export const POST = withUserRoute(
  async (ctx) => {
    const { recoveryCodes } = await regenerateRecoveryCodes({ userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, ...requestMetaOf(ctx) });
    return NextResponse.json({ data: { recoveryCodes } });
  },
  { stepUp: true },
);
