import { NextResponse } from "next/server";
import { assertWithinActingKeyScopes, auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { parseKeyId, rotatedKeyOutput } from "@/lib/keys/key-responses";
import { rotateKeyInput } from "@/lib/keys/key-schemas";
import { getApiKey } from "@/lib/keys/list-keys";
import { rotateApiKey } from "@/lib/keys/rotate-key";

/** An empty body means `{}` (all defaults); anything else must be JSON. */
async function readOptionalJsonBody(req: Request): Promise<unknown> {
  if (req.headers.get("content-type")) return readJsonBody(req);
  return (await req.text()).trim() === "" ? {} : readJsonBody(req);
}

/**
 * Issues the key's next secret (`data.key`, shown once) under the same key
 * id; the previous secret works until `previousValidUntil`. Body, optional:
 * `{ "graceSeconds": 0..2592000 }` (default 3600).
 */
export const POST = withTenantRoute<{ slug: string; id: string }>(
  async (ctx) => {
    const keyId = parseKeyId(ctx.params.id);
    const input = parseInput(rotateKeyInput, await readOptionalJsonBody(ctx.req));
    // Rotating reveals a new secret of that key: only within the caller's own scopes (a key) or role (a member).
    assertWithinActingKeyScopes(ctx, (await getApiKey(ctx.tenant.id, keyId)).scopes);
    const { key, secret, previousValidUntil } = await rotateApiKey(ctx.tenant.id, keyId, input, auditContextOf(ctx));
    return NextResponse.json(
      { data: rotatedKeyOutput.parse({ ...key, key: secret, previousValidUntil }) },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { permission: "keys.write", apiKeys: true },
);
