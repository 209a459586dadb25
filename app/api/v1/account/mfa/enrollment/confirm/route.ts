import { NextResponse } from "next/server";
import { assertAttemptsAllowed, recordFailure } from "@/lib/auth/attempt-limiter";
import { readJsonBody } from "@/lib/auth/route-common";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { recordUserEvent } from "@/lib/auth/user-audit";
import { withUserRoute } from "@/lib/auth/user-route";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { parseInput } from "@/lib/errors/validation";
import { confirmEnrollment } from "@/lib/mfa/enrollment";
import { confirmEnrollmentInput } from "@/lib/mfa/mfa-schemas";

/**
 * Confirms enrolment with a code from the new secret and answers the ten
 * recovery codes — the only time they are ever shown.
 */
export const POST = withUserRoute(async (ctx) => {
  const { code } = parseInput(confirmEnrollmentInput, await readJsonBody(ctx.req));
  const meta = requestMetaOf(ctx);
  const subjects = [
    { kind: "user" as const, value: ctx.user.id },
    { kind: "ip" as const, value: meta.ip },
  ];
  await assertAttemptsAllowed(subjects);
  const confirmed = await confirmEnrollment({ userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, ...meta }, code);
  if (!confirmed) {
    await recordFailure(subjects);
    await recordUserEvent(getDb(), { userId: ctx.user.id, ...meta, action: "mfa.enable", outcome: "failure", reason: "invalid" });
    throw new AppError("invalid_mfa_code", "That code is not valid. Check the time on your phone and try the next code.");
  }
  return NextResponse.json({ data: { enabled: true, recoveryCodes: confirmed.recoveryCodes } });
});
