import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { checkpointCreateView, checkpointViewSchema } from "@/lib/audit/audit-schemas";
import { createCheckpoint, listCheckpoints } from "@/lib/audit/checkpoints";
import { AppError } from "@/lib/errors/app-error";

/** The tenant's signed checkpoints, newest first (up to 1000): keep them to prove later what the trail held. */
export const GET = withTenantRoute(
  async ({ tenant }) => {
    const checkpoints = await listCheckpoints(tenant.id);
    return NextResponse.json({ data: checkpointViewSchema.array().parse(checkpoints) });
  },
  { permission: "audit.read", apiKeys: true },
);

/**
 * Signs the chain's head now, recorded as `audit.checkpoint_create` (the
 * checkpoint signs that entry too). Idempotent rather than rate-limited: while
 * the head has not moved, the checkpoint that signed it is returned (200, not
 * 201) and nothing is written, so repeating the request cannot grow the trail.
 * 404 `not_found` without entries.
 */
export const POST = withTenantRoute(
  async (ctx) => {
    const result = await createCheckpoint(ctx.tenant.id, { audit: auditContextOf(ctx) });
    if (!result) throw new AppError("not_found", "The audit trail has no entries yet");
    const data = checkpointCreateView.parse({ ...result.checkpoint, created: result.created });
    return NextResponse.json({ data }, { status: result.created ? 201 : 200 });
  },
  { permission: "audit.read", apiKeys: true },
);
