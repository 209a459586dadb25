import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { checkpointViewSchema } from "@/lib/audit/audit-schemas";
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

/** Signs the chain's head now (idempotent: an existing checkpoint of the head is returned, 200 instead of 201). 404 `not_found` without entries. */
export const POST = withTenantRoute(
  async ({ tenant }) => {
    const result = await createCheckpoint(tenant.id);
    if (!result) throw new AppError("not_found", "The audit trail has no entries yet");
    return NextResponse.json({ data: checkpointViewSchema.parse(result.checkpoint) }, { status: result.created ? 201 : 200 });
  },
  { permission: "audit.read", apiKeys: true },
);
