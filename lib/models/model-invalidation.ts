import type { Redis } from "ioredis";
import { z } from "zod";
import { createLogger } from "../log/logger";
import { getRedis } from "../redis/shared";

/**
 * Gateways cache each tenant's model routing table in memory. Any change to
 * a tenant's models (create, update, enable/disable, delete) is published here
 * after it commits, and every gateway drops that tenant's table.
 */
export const MODEL_INVALIDATION_CHANNEL = "mg:models:invalidate";

export const modelInvalidation = z.object({ tenantId: z.uuid() });
export type ModelInvalidation = z.infer<typeof modelInvalidation>;

export async function publishModelInvalidation(redis: Redis, msg: ModelInvalidation): Promise<void> {
  await redis.publish(MODEL_INVALIDATION_CHANNEL, JSON.stringify(modelInvalidation.parse(msg)));
}

export function parseModelInvalidation(raw: string): ModelInvalidation | null {
  try {
    const parsed = modelInvalidation.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let logger: ReturnType<typeof createLogger> | undefined;

/**
 * Publishes after the change committed. A failure is logged, not thrown: the
 * change stands, and gateways' cache TTL bounds how long they keep the old table.
 */
export async function announceModelChange(msg: ModelInvalidation, redis: Redis = getRedis()): Promise<void> {
  try {
    await publishModelInvalidation(redis, msg);
  } catch (err) {
    logger ??= createLogger("models");
    logger.warn({ tenant_id: msg.tenantId, err: { message: (err as Error).message } }, "model invalidation not published; gateways refresh within their cache TTL");
  }
}

/** announceModelChange for every tenant whose gateways route to a changed model (owner and grantees). */
export async function announceModelChanges(tenantIds: readonly string[], redis?: Redis): Promise<void> {
  await Promise.all([...new Set(tenantIds)].map((tenantId) => announceModelChange({ tenantId }, redis)));
}
