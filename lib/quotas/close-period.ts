import type { Redis } from "ioredis";
import { recordAudit } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import type { QueueClient } from "../queue/enqueue";
import { enqueueDeliveries, recordWebhookEvent, webhookEventId } from "../webhooks/emit-event";
import { systemClock, type Clock } from "./clock";
import { localMidnight, periodAt, type Period, type PeriodKind } from "./period";
import { quotaCounterKey, readQuotaCounter } from "./quota-counter";
import { quotaPolicyOf } from "./quota-policy";
import { closedPeriodView } from "./quota-status";
import type { ClosedPeriod } from "./quota-schemas";

/**
 * A period is closed this long after it ended, so that the gateways' last
 * batched reports (every 500 ms) have reached Redis.
 */
export const CLOSE_GRACE_MS = 60_000;

export type CloseDeps = { redis: Redis; queues?: QueueClient; clock?: Clock; db?: Db };

/** The period named by `key` (`YYYY-MM` or `YYYY-MM-DD`) in `timeZone`. */
export function periodOfKey(kind: PeriodKind, key: string, timeZone: string): Period {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number?];
  return periodAt(kind, timeZone, localMidnight(y, m, kind === "day" ? d! : 1, timeZone));
}

/**
 * Records one ended period of one tenant: the final counts from the Redis
 * counter the gateways enforced with (the same numbers the tenant was held
 * to; h6a's usage rollups are the per-request ledger and may lag behind a
 * worker), the limits in force, and a `quota.period_closed` webhook event —
 * all in one transaction. Idempotent: the second run finds the row
 * (unique tenant, period, key) and records nothing; it only re-queues
 * deliveries of the event still pending (their job ids are deterministic).
 */
export async function closeQuotaPeriod(
  tenantId: string,
  kind: PeriodKind,
  key: string,
  deps: CloseDeps,
): Promise<{ closed: boolean; record: ClosedPeriod | null }> {
  const db = deps.db ?? getDb();
  const now = (deps.clock ?? systemClock).now();
  const tenant = await withTenant(tenantId, (tx) => tx.tenant.findUnique({ where: { id: tenantId }, include: { quota: true } }), db);
  if (!tenant) return { closed: false, record: null };
  const period = periodOfKey(kind, key, tenant.timeZone);
  if (now < period.endsAt) return { closed: false, record: null };
  const counts = await readQuotaCounter(deps.redis, quotaCounterKey(tenantId, kind, key));
  const policy = quotaPolicyOf(tenant.quota, tenant.timeZone);
  const eventId = webhookEventId(tenantId, "quota.period_closed", kind, key);

  const result = await withTenant(
    tenantId,
    async (tx) => {
      const [row] = await tx.quotaPeriod.createManyAndReturn({
        data: [
          {
            tenantId,
            period: kind,
            periodKey: key,
            startsAt: period.startsAt,
            endsAt: period.endsAt,
            requests: BigInt(counts.requests),
            tokens: BigInt(counts.tokens),
            requestsLimit: policy?.requests ? BigInt(policy.requests.limit) : null,
            requestsHard: policy?.requests?.hard ?? false,
            tokensLimit: policy?.tokens ? BigInt(policy.tokens.limit) : null,
            tokensHard: policy?.tokens?.hard ?? false,
            closedAt: now,
          },
        ],
        skipDuplicates: true,
      });
      if (!row) {
        const pending = await tx.webhookDelivery.findMany({ where: { tenantId, eventId, status: "pending" }, select: { id: true } });
        return { row: null, deliveries: pending.map((d) => d.id) };
      }
      const record = closedPeriodView(row);
      const deliveries = await recordWebhookEvent(tx, tenantId, {
        id: eventId,
        type: "quota.period_closed",
        at: now,
        data: { tenantId, ...record },
      });
      await recordAudit(tx, tenantId, {
        actor: { type: "system", id: "quota.close_period" },
        action: "quota.period_close",
        target: { type: "quota_period", id: row.id },
        metadata: { period: kind, periodKey: key, requests: counts.requests, tokens: counts.tokens, counterFound: counts.exists },
      });
      return { row: record, deliveries };
    },
    db,
  );
  if (deps.queues) await enqueueDeliveries(deps.queues, tenantId, result.deliveries);
  return { closed: result.row !== null, record: result.row };
}

/** How far back a sweep looks for ended periods never recorded (the counters live 40 days). */
const CATCH_UP = { day: 35, month: 1 } as const;

/**
 * The scheduler's sweep: for every tenant with a quota, queues
 * `quota.close_period` for each ended period not recorded yet — the one that
 * just ended (once it ended CLOSE_GRACE_MS ago), and any earlier one a
 * stopped worker missed, back to the last recorded period (at most 35 days /
 * 1 month back, while the Redis counters still exist). Job ids are per tenant
 * and period, and closing is idempotent, so running the sweep often is safe.
 * Counting never depends on it.
 */
export async function sweepEndedPeriods(deps: CloseDeps & { queues: QueueClient }): Promise<number> {
  const db = deps.db ?? getDb();
  const now = (deps.clock ?? systemClock).now();
  // tenants is not tenant-owned; each tenant's quota is then read in its own scope.
  const tenants = await db.tenant.findMany({ select: { id: true, timeZone: true }, orderBy: { createdAt: "asc" } });
  let queued = 0;
  for (const t of tenants) {
    const state = await withTenant(
      t.id,
      async (tx) => {
        const quota = await tx.tenantQuota.findUnique({ where: { tenantId: t.id }, select: { period: true, createdAt: true } });
        if (!quota) return null;
        const last = await tx.quotaPeriod.findFirst({ where: { tenantId: t.id, period: quota.period }, orderBy: { endsAt: "desc" }, select: { endsAt: true } });
        return { quota, lastEndsAt: last?.endsAt ?? null };
      },
      db,
    );
    if (!state) continue;
    const kind: PeriodKind = state.quota.period === "day" ? "day" : "month";
    let period = periodAt(kind, t.timeZone, now);
    for (let back = 0; back <= CATCH_UP[kind]; back++) {
      period = periodAt(kind, t.timeZone, new Date(period.startsAt.getTime() - 1));
      // Nothing to record before the quota existed, or at or before the last recorded period.
      if (period.endsAt <= state.quota.createdAt || (state.lastEndsAt && period.endsAt <= state.lastEndsAt)) break;
      if (now.getTime() - period.endsAt.getTime() < CLOSE_GRACE_MS) continue;
      await deps.queues.enqueue("quota.close_period", { tenantId: t.id, period: kind, periodKey: period.key }, { idempotencyKey: `${kind}:${period.key}` });
      queued++;
    }
  }
  return queued;
}

/** `quota.notify_reached`: records the tenant's `quota.reached` event (once per period and metric) and queues its deliveries. */
export async function notifyQuotaReached(
  payload: { tenantId: string; period: PeriodKind; periodKey: string; metric: "requests" | "tokens"; limit: number; used: number; hard: boolean },
  deps: { queues?: QueueClient; clock?: Clock; db?: Db },
): Promise<string[]> {
  const { tenantId, period, periodKey, metric } = payload;
  const at = (deps.clock ?? systemClock).now();
  const deliveries = await withTenant(
    tenantId,
    (tx) =>
      recordWebhookEvent(tx, tenantId, {
        id: webhookEventId(tenantId, "quota.reached", period, periodKey, metric),
        type: "quota.reached",
        at,
        data: { tenantId, period, periodKey, metric, limit: payload.limit, used: payload.used, hard: payload.hard },
      }),
    deps.db ?? getDb(),
  );
  if (deps.queues) await enqueueDeliveries(deps.queues, tenantId, deliveries);
  return deliveries;
}
