import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/auth/route-common";
import { userAuditContext } from "@/lib/auth/request-meta";
import { withUserRoute } from "@/lib/auth/user-route";
import { parseInput } from "@/lib/errors/validation";
import { acceptInvitation } from "@/lib/members/accept-invitation";
import { acceptInvitationInput } from "@/lib/members/member-schemas";

/**
 * Accepts an invitation for the signed-in user. Expired, used and revoked
 * links are 410 with `invitation_expired` / `invitation_used` /
 * `invitation_revoked`; a link for another email is 403.
 */
export const POST = withUserRoute(async (ctx) => {
  const { token } = parseInput(acceptInvitationInput, await readJsonBody(ctx.req));
  const { actor: _actor, ...audit } = userAuditContext(ctx);
  const accepted = await acceptInvitation(token, ctx.user, audit);
  return NextResponse.json({ data: accepted });
});
