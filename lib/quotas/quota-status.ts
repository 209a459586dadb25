import type { Redis } from "ioredis";
import { getDb, type Db, type TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { systemClock, type Clock } from "./clock";
import { periodAt } from "./period";
import { quotaCounterKey, readQuotaCounter } from "./quota-counter";
import { quotaPolicyOf } from "./quota-policy";
import { closedPeriodOutput, quotaOutput, quotaStatusOutput, type ClosedPeriod, type QuotaStatus } from "./quota-schemas";

type ClosedRow = {
  period: string;
  periodKey: string;
  startsAt: Date;
  endsAt: Date;
  requests: bigint;
  tokens: bigint;
  requestsLimit: bigint | null;
  requestsHard: boolean;
  tokensLimit: bigint | null;
  tokensHard: boolean;
  closedAt: Date;
};

export function closedPeriodView(r: ClosedRow): ClosedPeriod {
  return closedPeriodOutput.parse({
    period: r.period,
    periodKey: r.periodKey,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    requestsLimit: r.requestsLimit === null ? null : Number(r.requestsLimit),
    requestsHard: r.requestsHard,
    tokensLimit: r.tokensLimit === null ? null : Number(r.tokensLimit),
    tokensHard: r.tokensHard,
    closedAt: r.closedAt.toISOString(),
  });
}

/** Reads the quota, time zone and last closed periods inside a tenant transaction. */
export async function readQuotaRows(tx: TxClient, tenantId: string, historyLimit = 6) {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, include: { quota: true } });
  if (!tenant) throw new AppError("not_found", "Tenant not found");
  const history = await tx.quotaPeriod.findMany({ where: { tenantId }, orderBy: { endsAt: "desc" }, take: historyLimit });
  return { tenant, history };
}

/**
 * A tenant's quota, this period's use as the gateways have reported it to
 * Redis (at most a sync interval behind), and its last closed periods.
 */
export async function getQuotaStatus(
  tenantId: string,
  deps: { redis: Redis; clock?: Clock; db?: Db },
): Promise<QuotaStatus> {
  const { tenant, history } = await withTenant(tenantId, (tx) => readQuotaRows(tx, tenantId), deps.db ?? getDb());
  const policy = quotaPolicyOf(tenant.quota, tenant.timeZone);
  let current: QuotaStatus["current"] = null;
  if (policy) {
    const period = periodAt(policy.period, policy.timeZone, (deps.clock ?? systemClock).now());
    const counts = await readQuotaCounter(deps.redis, quotaCounterKey(tenantId, period.kind, period.key));
    current = {
      period: period.kind,
      periodKey: period.key,
      startsAt: period.startsAt.toISOString(),
      endsAt: period.endsAt.toISOString(),
      requests: counts.requests,
      tokens: counts.tokens,
    };
  }
  return quotaStatusOutput.parse({
    timeZone: tenant.timeZone,
    quota: policy && quotaOutput.parse(policy),
    current,
    history: history.map(closedPeriodView),
  });
}
