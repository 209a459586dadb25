import { NextResponse } from "next/server";
import { assertWithinActingKeyScopes, auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { createApiKey } from "@/lib/keys/create-key";
import { createdKeyOutput } from "@/lib/keys/key-responses";
import { apiKeyOutput, createKeyInput } from "@/lib/keys/key-schemas";
import { listApiKeys } from "@/lib/keys/list-keys";

/** The tenant's keys, newest first, revoked and expired ones included. */
export const GET = withTenantRoute(
  async ({ tenant }) => {
    const keys = await listApiKeys(tenant.id);
    return NextResponse.json({ data: apiKeyOutput.array().parse(keys) });
  },
  { permission: "keys.read", apiKeys: true },
);

/** Issues a key. The secret (`data.key`) is in this response and never again. */
export const POST = withTenantRoute(
  async (ctx) => {
    const input = parseInput(createKeyInput, await readJsonBody(ctx.req));
    assertWithinActingKeyScopes(ctx, input.scopes);
    const { key, secret } = await createApiKey(ctx.tenant.id, input, auditContextOf(ctx));
    return NextResponse.json(
      { data: createdKeyOutput.parse({ ...key, key: secret }) },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { permission: "keys.write", apiKeys: true },
);
