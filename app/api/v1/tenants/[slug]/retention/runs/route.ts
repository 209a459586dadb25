import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { enqueueRetentionRun } from "@/lib/retention/enqueue-run";
import { enqueuedRunOutput } from "@/lib/retention/retention-schemas";

/**
 * Queues a retention run of this tenant now (it deletes only what the
 * policies say has expired, like the scheduled run). 202: the workers run it;
 * its result appears as the classes' last run.
 */
export const POST = withTenantRoute(
  async ({ tenant }) => {
    const queued = await enqueueRetentionRun(tenant.id);
    return NextResponse.json({ data: enqueuedRunOutput.parse(queued) }, { status: 202 });
  },
  { permission: "tenant.settings.write" },
);
