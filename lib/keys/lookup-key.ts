import { getDb, type Db } from "../db/client";
import { quotaPolicyOf, type QuotaPolicy } from "../quotas/quota-policy";

/** Everything the gateway needs to decide on a request made with one key. */
export type KeyRecord = {
  tenantId: string;
  keyId: string;
  generation: number;
  scopes: string[];
  modelAllowlist: string[];
  ipAllowlist: string[];
  rateLimit: { requests: number; windowSeconds: number } | null;
  /** The earlier of the key's expiry and this generation's rotation grace end. */
  validUntil: Date | null;
  revoked: boolean;
  tenant: {
    status: "active" | "suspended";
    ipAllowlist: string[];
    redisFailureMode: "closed" | "open";
    maxBodyBytes: number;
    rateLimit: { requests: number; windowSeconds: number } | null;
    /** The tenant's quota (lib/quotas); absent or null: none. */
    quota?: QuotaPolicy | null;
  };
};

const limitOf = (requests: number | null, windowSeconds: number | null) =>
  requests && windowSeconds ? { requests, windowSeconds } : null;

/**
 * Finds the key whose secret hashes to `hash`, across tenants, in one
 * transaction: policy `key_hash_lookup` shows the app role exactly the secret
 * row with this hash; its tenant then scopes the read of the key itself.
 * Returns null when no such key exists. Validity (revoked, expired, suspended)
 * is the caller's decision, so a cached record can be re-judged over time.
 */
export async function lookupKeyByHash(hash: Buffer, db: Db = getDb()): Promise<KeyRecord | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.key_hash', ${hash.toString("hex")}, true)`;
    const secret = await tx.apiKeySecret.findFirst({
      where: { hash: Uint8Array.from(hash) },
      select: { tenantId: true, keyId: true, generation: true, expiresAt: true },
    });
    if (!secret) return null;
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${secret.tenantId}, true)`;
    const key = await tx.apiKey.findFirst({ where: { id: secret.keyId, tenantId: secret.tenantId } });
    const tenant = await tx.tenant.findUnique({ where: { id: secret.tenantId }, include: { quota: true } });
    if (!key || !tenant) return null;
    const expiries = [key.expiresAt, secret.expiresAt].filter((d): d is Date => d !== null);
    return {
      tenantId: secret.tenantId,
      keyId: key.id,
      generation: secret.generation,
      scopes: key.scopes,
      modelAllowlist: key.modelAllowlist,
      ipAllowlist: key.ipAllowlist,
      rateLimit: limitOf(key.rateLimitRequests, key.rateLimitWindowSeconds),
      validUntil: expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : null,
      revoked: key.revokedAt !== null,
      tenant: {
        status: tenant.status,
        ipAllowlist: tenant.ipAllowlist,
        redisFailureMode: tenant.redisFailureMode === "open" ? "open" : "closed",
        maxBodyBytes: tenant.maxBodyBytes,
        rateLimit: limitOf(tenant.rateLimitRequests, tenant.rateLimitWindowSeconds),
        quota: quotaPolicyOf(tenant.quota, tenant.timeZone),
      },
    };
  });
}
