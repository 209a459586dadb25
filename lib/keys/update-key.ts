import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { updateKeyInput, type ApiKeyView, type UpdateKeyInput } from "./key-schemas";
import { announceKeyChange } from "./key-invalidation";
import { SECRET_SUMMARY, toKeyView } from "./key-view";

/** Fields whose change is a sensitive action (MFA step-up once MFA exists). */
export const SENSITIVE_KEY_FIELDS = ["scopes", "ips", "models"] as const;

export function touchesSensitiveKeyFields(input: UpdateKeyInput): boolean {
  return SENSITIVE_KEY_FIELDS.some((f) => input[f] !== undefined);
}

/** Changes a key's name, scopes, model or IP allow-list or rate limit; audited with before/after. */
export async function updateApiKey(
  tenantId: string,
  keyId: string,
  input: UpdateKeyInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ApiKeyView> {
  const parsed = parseInput(updateKeyInput, input);
  const key = await withTenant(
    tenantId,
    async (tx) => {
      const before = await tx.apiKey.findFirst({ where: { id: keyId, tenantId }, include: { secrets: SECRET_SUMMARY } });
      if (!before) throw new AppError("not_found", "API key not found");
      if (before.revokedAt) throw new AppError("conflict", "A revoked key cannot be changed");
      const after = await tx.apiKey.update({
        where: { id: keyId },
        data: {
          name: parsed.name,
          scopes: parsed.scopes,
          modelAllowlist: parsed.models,
          ipAllowlist: parsed.ips,
          ...(parsed.rateLimit !== undefined && {
            rateLimitRequests: parsed.rateLimit?.requests ?? null,
            rateLimitWindowSeconds: parsed.rateLimit?.windowSeconds ?? null,
          }),
        },
        include: { secrets: SECRET_SUMMARY },
      });
      const [b, a] = [toKeyView(before), toKeyView(after)];
      const changed = (["name", "scopes", "models", "ips", "rateLimit"] as const).filter(
        (f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]),
      );
      if (changed.length) {
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: "key.update",
          target: { type: "api_key", id: keyId },
          metadata: {
            before: Object.fromEntries(changed.map((f) => [f, b[f]])),
            after: Object.fromEntries(changed.map((f) => [f, a[f]])),
          },
        });
      }
      return after;
    },
    db,
  );
  await announceKeyChange({ tenantId, keyId });
  return toKeyView(key);
}
