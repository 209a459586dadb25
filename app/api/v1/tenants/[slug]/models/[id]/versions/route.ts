import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseModelId } from "@/lib/models/model-lookup";
import { modelOutput, type CreateVersionInput } from "@/lib/models/model-schemas";
import { createVersion } from "@/lib/models/model-versions";

type Params = { slug: string; id: string };

/** Adds a version (backend URL, optional credential): MFA step-up. Answers with the whole model. */
export const POST = withTenantRoute<Params>(
  async (ctx) => {
    const id = parseModelId(ctx.params.id);
    const model = await createVersion(ctx.tenant.id, id, (await readJsonBody(ctx.req)) as CreateVersionInput, auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) }, { status: 201 });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);
