import type { Redis } from "ioredis";
import { z } from "zod";
import type { TxClient } from "../db/client";
import { systemClock, type Clock } from "./clock";
import { periodAt } from "./period";
import { quotaCounterKey } from "./quota-counter";
import { quotaPolicyOf } from "./quota-policy";
import { periodUsageOutput, quotaOutput } from "./quota-schemas";

/** One row of the operator console's tenant list. */
export const operatorTenantOutput = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(["active", "suspended"]),
  timeZone: z.string(),
  createdAt: z.string(),
  suspendedAt: z.string().nullable(),
  quota: quotaOutput.nullable(),
  current: periodUsageOutput.nullable(),
  /** The latest use of any of the tenant's API keys (null: never used). */
  lastActivityAt: z.string().nullable(),
});
export type OperatorTenant = z.output<typeof operatorTenantOutput>;

type OperatorRead = <T>(resource: string, reason: string, fn: (tx: TxClient) => Promise<T>) => Promise<T>;

/**
 * Every tenant with its quota, this period's use (Redis, as the gateways
 * reported it) and last activity, for platform operators. The quota and
 * key rows are read through the audited operator path; `slug` narrows it to
 * one tenant.
 */
export async function listTenantsForOperator(
  operatorRead: OperatorRead,
  deps: { redis: Redis; clock?: Clock; slug?: string },
): Promise<OperatorTenant[]> {
  const { tenants, quotas, activity } = await operatorRead("tenant_quotas", "operator console: tenants, quotas and use", async (tx) => {
    const tenants = await tx.tenant.findMany({ where: deps.slug ? { slug: deps.slug } : {}, orderBy: { createdAt: "asc" } });
    const ids = tenants.map((t) => t.id);
    const quotas = await tx.tenantQuota.findMany({ where: { tenantId: { in: ids } } });
    const activity = await tx.apiKey.groupBy({ by: ["tenantId"], where: { tenantId: { in: ids } }, _max: { lastUsedAt: true } });
    return { tenants, quotas, activity };
  });
  const quotaOf = new Map(quotas.map((q) => [q.tenantId, q]));
  const lastUsedOf = new Map(activity.map((a) => [a.tenantId, a._max.lastUsedAt]));
  const now = (deps.clock ?? systemClock).now();

  const rows = tenants.map((t) => {
    const policy = quotaPolicyOf(quotaOf.get(t.id), t.timeZone);
    const period = policy ? periodAt(policy.period, policy.timeZone, now) : null;
    return { t, policy, period };
  });
  const pipeline = deps.redis.pipeline();
  for (const { t, period } of rows) if (period) pipeline.hmget(quotaCounterKey(t.id, period.kind, period.key), "u", "t");
  const counts = rows.some((r) => r.period) ? ((await pipeline.exec()) ?? []) : [];
  let i = 0;
  return rows.map(({ t, policy, period }) => {
    let current: OperatorTenant["current"] = null;
    if (period) {
      const [err, value] = counts[i++] ?? [null, [null, null]];
      const [u, tk] = (err ? [null, null] : value) as [string | null, string | null];
      current = {
        period: period.kind,
        periodKey: period.key,
        startsAt: period.startsAt.toISOString(),
        endsAt: period.endsAt.toISOString(),
        requests: Number(u ?? 0),
        tokens: Number(tk ?? 0),
      };
    }
    return operatorTenantOutput.parse({
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: t.status,
      timeZone: t.timeZone,
      createdAt: t.createdAt.toISOString(),
      suspendedAt: t.suspendedAt?.toISOString() ?? null,
      quota: policy && quotaOutput.parse(policy),
      current,
      lastActivityAt: lastUsedOf.get(t.id)?.toISOString() ?? null,
    });
  });
}
