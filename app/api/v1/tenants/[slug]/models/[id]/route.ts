import { NextResponse } from "next/server";
import { auditContextOf, requireStepUpForSensitiveChange } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { deleteModel } from "@/lib/models/delete-model";
import { getModel } from "@/lib/models/list-models";
import { parseModelId } from "@/lib/models/model-lookup";
import { modelOutput, touchesSensitiveModelFields, updateModelInput } from "@/lib/models/model-schemas";
import { updateModel } from "@/lib/models/update-model";

type Params = { slug: string; id: string };

export const GET = withTenantRoute<Params>(
  async ({ tenant, params }) => NextResponse.json({ data: modelOutput.parse(await getModel(tenant.id, parseModelId(params.id))) }),
  { permission: "models.read", apiKeys: true },
);

/**
 * Changes name, description, enabled, protocol, visibility or defaultVersion.
 * Protocol and visibility are sensitive (MFA step-up; refused for API keys).
 */
export const PATCH = withTenantRoute<Params>(
  async (ctx) => {
    const id = parseModelId(ctx.params.id);
    const input = parseInput(updateModelInput, await readJsonBody(ctx.req));
    if (touchesSensitiveModelFields(input)) requireStepUpForSensitiveChange(ctx);
    const model = await updateModel(ctx.tenant.id, id, input, auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) });
  },
  { permission: "models.write", apiKeys: true },
);

/** Deletes the model, its versions and its grants: MFA step-up. */
export const DELETE = withTenantRoute<Params>(
  async (ctx) => {
    await deleteModel(ctx.tenant.id, parseModelId(ctx.params.id), auditContextOf(ctx));
    return new Response(null, { status: 204 });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);
