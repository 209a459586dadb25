import { NextResponse } from "next/server";
import { auditContextOf, requireStepUpForSensitiveChange } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { parseModelId } from "@/lib/models/model-lookup";
import { modelOutput, touchesSensitiveVersionFields, updateVersionInput } from "@/lib/models/model-schemas";
import { deleteVersion, updateVersion } from "@/lib/models/model-versions";

type Params = { slug: string; id: string; versionId: string };

/** Changes url, credential (null removes it), timeoutMs or maxConcurrency; url and credential need MFA step-up. */
export const PATCH = withTenantRoute<Params>(
  async (ctx) => {
    const id = parseModelId(ctx.params.id);
    const versionId = parseModelId(ctx.params.versionId, "Version");
    const input = parseInput(updateVersionInput, await readJsonBody(ctx.req));
    if (touchesSensitiveVersionFields(input)) requireStepUpForSensitiveChange(ctx);
    const model = await updateVersion(ctx.tenant.id, id, versionId, input, auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) });
  },
  { permission: "models.write", apiKeys: true },
);

/** Deletes a version that serves no traffic (409 for the default or the canary): MFA step-up. */
export const DELETE = withTenantRoute<Params>(
  async (ctx) => {
    const id = parseModelId(ctx.params.id);
    const model = await deleteVersion(ctx.tenant.id, id, parseModelId(ctx.params.versionId, "Version"), auditContextOf(ctx));
    return NextResponse.json({ data: modelOutput.parse(model) });
  },
  { permission: "models.write", stepUp: true, apiKeys: true },
);
