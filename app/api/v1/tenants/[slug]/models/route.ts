import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { createModel } from "@/lib/models/create-model";
import { listModels } from "@/lib/models/list-models";
import { modelOutput, type CreateModelInput } from "@/lib/models/model-schemas";

/** The tenant's own models (with versions), then shared models granted to it (read-only). Never a credential. */
export const GET = withTenantRoute(
  async ({ tenant }) => NextResponse.json({ data: modelOutput.array().parse(await listModels(tenant.id)) }),
  { permission: "models.read", apiKeys: true },
);

/** Registers a model with its first version. Sets a backend URL (and maybe a credential): MFA step-up. */
export const POST = withTenantRoute(
  async (ctx) => {
    const model = await createModel(ctx.tenant.id, (await readJsonBody(ctx.req)) as CreateModelInput, auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) }, { status: 201 });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);
