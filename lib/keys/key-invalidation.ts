import type { Redis } from "ioredis";
import { z } from "zod";
import { createLogger } from "../log/logger";
import { getRedis } from "../redis/shared";

/**
 * Gateways cache key records in memory; every change that can narrow what a
 * key may do (revoke, rotate, scope/IP/model edits, tenant suspension) is
 * published here after it commits, and each gateway drops the entries.
 */
export const KEY_INVALIDATION_CHANNEL = "mg:keys:invalidate";

export const keyInvalidation = z.object({
  tenantId: z.uuid(),
  /** Absent: every key of the tenant (e.g. the tenant was suspended). */
  keyId: z.uuid().optional(),
});
export type KeyInvalidation = z.infer<typeof keyInvalidation>;

export async function publishKeyInvalidation(redis: Redis, msg: KeyInvalidation): Promise<void> {
  await redis.publish(KEY_INVALIDATION_CHANNEL, JSON.stringify(keyInvalidation.parse(msg)));
}

export function parseKeyInvalidation(raw: string): KeyInvalidation | null {
  try {
    const parsed = keyInvalidation.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let logger: ReturnType<typeof createLogger> | undefined;

/**
 * Publishes after the change committed. A failure is logged, not thrown: the
 * change stands, and gateways' cache TTL bounds how long they keep the old copy.
 */
export async function announceKeyChange(msg: KeyInvalidation, redis: Redis = getRedis()): Promise<void> {
  try {
    await publishKeyInvalidation(redis, msg);
  } catch (err) {
    logger ??= createLogger("keys");
    logger.warn({ tenant_id: msg.tenantId, key_id: msg.keyId, err: { message: (err as Error).message } }, "key invalidation not published; gateways refresh within their cache TTL");
  }
}
