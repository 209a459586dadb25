import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { RoleBadge } from "@/components/console/role-badge";
import { TenantStatusBadge } from "@/components/console/tenant-status-badge";
import { StatCard } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { formatDate } from "@/lib/console/format";
import { getTenantOverview } from "@/lib/console/tenant-overview";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { RecentActivity } from "./_components/recent-activity";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Overview" };

export default async function TenantOverviewPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const canReadAudit = can(membership.role, "audit.read");
  const overview = await getTenantOverview(tenant.id, { withActivity: canReadAudit });

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
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard
          label="Members"
          value={<span data-testid="member-count">{overview.memberCount}</span>}
          hint={overview.memberCount === 1 ? "1 person has access" : `${overview.memberCount} people have access`}
        />
        <StatCard label="Your role" value={<RoleBadge role={membership.role} />} hint={`Member since ${formatDate(membership.createdAt)}`} />
        <StatCard label="Created" value={formatDate(tenant.createdAt)} hint="Tenant creation date (UTC)" />
      </dl>
      <RecentActivity slug={tenant.slug} entries={canReadAudit ? overview.recentActivity : null} />
    </div>
  );
}
