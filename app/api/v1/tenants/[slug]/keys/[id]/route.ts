import { NextResponse } from "next/server";
import { assertWithinActingKeyScopes, auditContextOf, requireStepUpForSensitiveChange } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { parseKeyId } from "@/lib/keys/key-responses";
import { apiKeyOutput, updateKeyInput } from "@/lib/keys/key-schemas";
import { getApiKey } from "@/lib/keys/list-keys";
import { touchesSensitiveKeyFields, updateApiKey } from "@/lib/keys/update-key";

type Params = { slug: string; id: string };

export const GET = withTenantRoute<Params>(
  async ({ tenant, params }) => {
    const key = await getApiKey(tenant.id, parseKeyId(params.id));
    return NextResponse.json({ data: apiKeyOutput.parse(key) });
  },
  { permission: "keys.read", apiKeys: true },
);

/**
 * Changes name, scopes, models, ips or rateLimit. Scopes, ips and models are
 * sensitive (MFA step-up for sessions; refused for API keys with 403
 * `step_up_unavailable`); name and rateLimit are not.
 */
export const PATCH = withTenantRoute<Params>(
  async (ctx) => {
    const keyId = parseKeyId(ctx.params.id);
    const input = parseInput(updateKeyInput, await readJsonBody(ctx.req));
    if (touchesSensitiveKeyFields(input)) requireStepUpForSensitiveChange(ctx);
    if (input.scopes) assertWithinActingKeyScopes(ctx, input.scopes);
    const key = await updateApiKey(ctx.tenant.id, keyId, input, auditContextOf(ctx));
    return NextResponse.json({ data: apiKeyOutput.parse(key) });
  },
  { permission: "keys.write", apiKeys: true },
);
