import { withTenant } from "../db/tenant-scope";
import { listKeyOptions, type KeyOption } from "../keys/list-keys";
import { tenantTimeZone } from "./read-usage";

export type UsageFilterOptions = {
  /** Every key of the tenant, revoked ones too (their usage stays), by name. */
  keys: KeyOption[];
  /** The tenant's models and every model name its usage has (a model deleted since included), by name. */
  models: string[];
  /** The tenant's time zone: day buckets and the custom range's times are in it. */
  timeZone: string;
};

/**
 * What the usage dashboard's key and model selectors offer. Model names come
 * from the day rollups (a few rows per day) and the model registry, never
 * from the raw events.
 */
export async function getUsageFilterOptions(tenantId: string): Promise<UsageFilterOptions> {
  return withTenant(tenantId, async (tx) => {
    const timeZone = await tenantTimeZone(tx, tenantId);
    const keys = await listKeyOptions(tx, tenantId);
    const registered = await tx.model.findMany({ where: { tenantId }, select: { name: true } });
    const used = await tx.$queryRawUnsafe<{ model: string }[]>(
      "SELECT DISTINCT model FROM usage_rollups WHERE tenant_id = $1::uuid AND granularity = 'day' AND model <> ''",
      tenantId,
    );
    const models = [...new Set([...registered.map((m) => m.name), ...used.map((m) => m.model)])].sort((a, b) => a.localeCompare(b));
    return { keys, models, timeZone };
  });
}
