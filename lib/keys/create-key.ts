import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { parseInput } from "../errors/validation";
import { generateApiKey } from "./key-format";
import { createKeyInput, type ApiKeyView, type CreateKeyInput } from "./key-schemas";
import { SECRET_SUMMARY, toKeyView } from "./key-view";

export type CreatedKey = { key: ApiKeyView; secret: string };

/**
 * Issues a key for `tenantId`. The secret is returned here once and never
 * again: only its SHA-256 and display prefix are stored.
 */
export async function createApiKey(
  tenantId: string,
  input: CreateKeyInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<CreatedKey> {
  const parsed = parseInput(createKeyInput, input);
  const generated = generateApiKey();
  const key = await withTenant(
    tenantId,
    async (tx) => {
      const key = await tx.apiKey.create({
        data: {
          tenantId,
          name: parsed.name,
          scopes: parsed.scopes,
          modelAllowlist: parsed.models ?? [],
          ipAllowlist: parsed.ips ?? [],
          rateLimitRequests: parsed.rateLimit?.requests ?? null,
          rateLimitWindowSeconds: parsed.rateLimit?.windowSeconds ?? null,
          expiresAt: parsed.expiresAt ?? null,
          createdByType: ctx.actor.type,
          createdById: ctx.actor.id ?? null,
          secrets: {
            create: {
              tenantId,
              generation: 1,
              hash: Uint8Array.from(generated.hash),
              displayPrefix: generated.displayPrefix,
            },
          },
        },
        include: { secrets: SECRET_SUMMARY },
      });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "key.create",
        target: { type: "api_key", id: key.id },
        metadata: {
          name: key.name,
          scopes: key.scopes,
          models: key.modelAllowlist,
          ips: key.ipAllowlist,
          prefix: generated.displayPrefix,
        },
      });
      return key;
    },
    db,
  );
  return { key: toKeyView(key), secret: generated.secret };
}
