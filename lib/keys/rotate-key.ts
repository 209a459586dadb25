import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { generateApiKey } from "./key-format";
import { rotateKeyInput } from "./key-schemas";
import { announceKeyChange } from "./key-invalidation";
import { SECRET_SUMMARY, toKeyView } from "./key-view";
import type { CreatedKey } from "./create-key";

/**
 * Issues the next generation of a key's secret under the same key id. Every
 * older generation that is still open keeps working until now + grace, then
 * the gateway refuses it. Returns the new secret, once.
 */
export async function rotateApiKey(
  tenantId: string,
  keyId: string,
  input: { graceSeconds?: number },
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<CreatedKey & { previousValidUntil: string }> {
  const { graceSeconds } = parseInput(rotateKeyInput, input);
  const generated = generateApiKey();
  const graceEnd = new Date(Date.now() + graceSeconds * 1000);
  const key = await withTenant(
    tenantId,
    async (tx) => {
      const current = await tx.apiKey.findFirst({
        where: { id: keyId, tenantId },
        include: { secrets: { select: { generation: true } } },
      });
      if (!current) throw new AppError("not_found", "API key not found");
      if (current.revokedAt) throw new AppError("conflict", "A revoked key cannot be rotated");
      const generation = Math.max(...current.secrets.map((s) => s.generation)) + 1;
      await tx.apiKeySecret.updateMany({
        where: { tenantId, keyId, OR: [{ expiresAt: null }, { expiresAt: { gt: graceEnd } }] },
        data: { expiresAt: graceEnd },
      });
      await tx.apiKeySecret.create({
        data: {
          tenantId,
          keyId,
          generation,
          hash: Uint8Array.from(generated.hash),
          displayPrefix: generated.displayPrefix,
        },
      });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "key.rotate",
        target: { type: "api_key", id: keyId },
        metadata: { generation, graceSeconds, prefix: generated.displayPrefix },
      });
      return tx.apiKey.findUniqueOrThrow({ where: { id: keyId }, include: { secrets: SECRET_SUMMARY } });
    },
    db,
  );
  await announceKeyChange({ tenantId, keyId });
  return { key: toKeyView(key), secret: generated.secret, previousValidUntil: graceEnd.toISOString() };
}
