import { NextResponse } from "next/server";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { recordUserEvent } from "@/lib/auth/user-audit";
import { withUserRoute } from "@/lib/auth/user-route";
import { listActiveSessions, revokeOtherSessions } from "@/lib/auth/user-sessions";
import { getDb } from "@/lib/db/client";

/** The signed-in user's active sessions; `current` marks this one. */
export const GET = withUserRoute(async ({ user, session }) => {
  const sessions = await listActiveSessions(user.id);
  return NextResponse.json({
    data: sessions.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      authMethod: s.authMethod,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
    })),
  });
});

/** Signs out every other session of the user. */
export const DELETE = withUserRoute(async (ctx) => {
  const ended = await getDb().$transaction(async (tx) => {
    const count = await revokeOtherSessions(tx, ctx.user.id, ctx.session.id, "signed_out_elsewhere");
    await recordUserEvent(tx, { userId: ctx.user.id, ...requestMetaOf(ctx), action: "auth.sessions_revoke", metadata: { ended: count } });
    return count;
  });
  return NextResponse.json({ data: { ended } });
});
