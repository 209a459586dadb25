import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { Card } from "@/components/ui/card";
import { ShieldIcon } from "@/components/ui/icons";
import { EmptyState } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { withTenant } from "@/lib/db/tenant-scope";
import { listKeyOptions } from "@/lib/keys/list-keys";
import { SecurityLog } from "./_components/security-log";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Security log" };

export default async function SecurityLogPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const allowed = can(membership.role, "audit.read");
  const keys = allowed ? await withTenant(tenant.id, (tx) => listKeyOptions(tx, tenant.id)) : [];
  return (
    <div className="space-y-6">
      <PageHeader
        title="Security log"
        description="Requests the gateway refused for this tenant: bad or revoked keys, blocked addresses, scopes, rate limits and quotas, filtered input."
      />
      {allowed ? (
        <SecurityLog slug={tenant.slug} keys={keys} />
      ) : (
        <Card>
          <EmptyState
            icon={<ShieldIcon />}
            title="You don't have access to the security log"
            description="Only owners and admins of this tenant can review refused requests."
          />
        </Card>
      )}
    </div>
  );
}
