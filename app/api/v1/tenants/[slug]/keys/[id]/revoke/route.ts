import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseKeyId } from "@/lib/keys/key-responses";
import { apiKeyOutput } from "@/lib/keys/key-schemas";
import { revokeApiKey } from "@/lib/keys/revoke-key";

/**
 * Revokes every generation of the key at once (gateways drop it within a
 * second). Idempotent; the key stays listed with status `revoked`. No body.
 */
export const POST = withTenantRoute<{ slug: string; id: string }>(
  async (ctx) => {
    const key = await revokeApiKey(ctx.tenant.id, parseKeyId(ctx.params.id), auditContextOf(ctx));
    return NextResponse.json({ data: apiKeyOutput.parse(key) });
  },
  { permission: "keys.write", apiKeys: true },
);
