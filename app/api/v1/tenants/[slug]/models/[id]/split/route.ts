import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseModelId } from "@/lib/models/model-lookup";
import { modelOutput, type SplitInput } from "@/lib/models/model-schemas";
import { clearTrafficSplit, setTrafficSplit } from "@/lib/models/traffic-split";

type Params = { slug: string; id: string };

/** Sets the canary split (two versions, one the default, percentages adding up to 100): MFA step-up. */
export const PUT = withTenantRoute<Params>(
  async (ctx) => {
    const id = parseModelId(ctx.params.id);
    const model = await setTrafficSplit(ctx.tenant.id, id, (await readJsonBody(ctx.req)) as SplitInput, auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);

/** Instant rollback: all traffic to the default version again. Idempotent; MFA step-up. */
export const DELETE = withTenantRoute<Params>(
  async (ctx) => {
    const model = await clearTrafficSplit(ctx.tenant.id, parseModelId(ctx.params.id), auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);
