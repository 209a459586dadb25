import type { Metadata } from "next";
import { ClosedPeriodsTable } from "@/components/console/closed-periods-table";
import { describeLimit, QuotaMeter } from "@/components/console/quota-meter";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/lib/console/format";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { getQuotaStatus } from "@/lib/quotas/quota-status";
import { getRedis } from "@/lib/redis/shared";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Quota" };

/** The tenant's quota (set by the platform's operators), this period's use and the last closed periods. */
export default async function QuotaSettingsPage({ params }: Props) {
  const { slug } = await params;
  const { tenant } = await getTenantPageContext(slug);
  const status = await getQuotaStatus(tenant.id, { redis: getRedis() });
  const { quota, current, history } = status;

  return (
    <div className="space-y-6">
      <Card data-testid="quota-card">
        <CardHeader
          title="Quota"
          description={
            quota
              ? `Counted per ${quota.period === "day" ? "day" : "calendar month"} in ${quota.timeZone}. Soft limits add an X-Quota-Warning header; hard limits answer 429 quota_exceeded until the period ends.`
              : "Your tenant has no quota: requests are limited only by your keys' and tenant's rate limits."
          }
        />
        {quota && current ? (
          <div className="grid gap-6 px-5 py-5 sm:grid-cols-2">
            <div>
              <p className="mb-2 text-sm font-medium text-zinc-900">Requests</p>
              <QuotaMeter label="requests" used={current.requests} limit={quota.requests} />
              <p className="mt-1.5 text-xs text-zinc-500">{describeLimit(quota.requests, "requests", quota.period) ?? "No request limit"}</p>
            </div>
            <div>
              <p className="mb-2 text-sm font-medium text-zinc-900">Tokens</p>
              <QuotaMeter label="tokens" used={current.tokens} limit={quota.tokens} />
              <p className="mt-1.5 text-xs text-zinc-500">{describeLimit(quota.tokens, "tokens", quota.period) ?? "No token limit"}</p>
            </div>
            <p className="text-xs text-zinc-500 sm:col-span-2">
              This period ({current.periodKey}) renews {formatDateTime(current.endsAt)}. Use is at most a few seconds behind the gateways.
            </p>
          </div>
        ) : null}
      </Card>
      <Card>
        <CardHeader title="Past periods" description="What each closed period used, against the limits in force then." />
        <ClosedPeriodsTable history={history} />
      </Card>
    </div>
  );
}
