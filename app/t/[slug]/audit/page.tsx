import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { Card } from "@/components/ui/card";
import { AuditIcon } from "@/components/ui/icons";
import { EmptyState } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { AuditExplorer } from "./_components/audit-explorer";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const allowed = can(membership.role, "audit.read");

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Every change to this tenant: who made it, when, from where, and what changed. Newest first."
      />
      {allowed ? (
        <AuditExplorer slug={tenant.slug} />
      ) : (
        <Card>
          <EmptyState
            icon={<AuditIcon />}
            title="You don't have access to the audit log"
            description="Only owners and admins of this tenant can review its audit log."
          />
        </Card>
      )}
    </div>
  );
}
