import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/console/page-header";
import { RoleBadge } from "@/components/console/role-badge";
import { TenantStatusBadge } from "@/components/console/tenant-status-badge";
import { StatCard } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { formatDate } from "@/lib/console/format";
import { getTenantOverview } from "@/lib/console/tenant-overview";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { getUsageSummary } from "@/lib/usage/usage-summary";
import { RecentActivity } from "./_components/recent-activity";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Overview" };

export default async function TenantOverviewPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const canReadAudit = can(membership.role, "audit.read");
  const [overview, usage] = await Promise.all([getTenantOverview(tenant.id, { withActivity: canReadAudit }), getUsageSummary(tenant.id)]);

  return (
    <div className="space-y-8">
      <PageHeader
        title={tenant.name}
        meta={<TenantStatusBadge status={tenant.status} />}
        description={
          <>
            Tenant <span className="font-mono text-zinc-600">{tenant.slug}</span>
          </>
        }
      />
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="Members"
          value={<span data-testid="member-count">{overview.memberCount}</span>}
          hint={overview.memberCount === 1 ? "1 person has access" : `${overview.memberCount} people have access`}
        />
        <StatCard label="Your role" value={<RoleBadge role={membership.role} />} hint={`Member since ${formatDate(membership.createdAt)}`} />
        <StatCard label="Created" value={formatDate(tenant.createdAt)} hint="Tenant creation date (UTC)" />
        <StatCard
          label="Requests, last 24 h"
          value={<span data-testid="usage-requests-24h">{usage.requests.toLocaleString("en-US")}</span>}
          hint={
            <>
              {usage.requests > 0 && `${usage.errors.toLocaleString("en-US")} errors · `}
              <Link href={`/t/${tenant.slug}/usage`} className="font-medium text-brand-600 hover:text-brand-500">
                View usage →
              </Link>
            </>
          }
        />
      </dl>
      <RecentActivity slug={tenant.slug} entries={canReadAudit ? overview.recentActivity : null} />
    </div>
  );
}
