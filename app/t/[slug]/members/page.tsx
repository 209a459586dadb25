import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { can, canManageOwners } from "@/lib/auth/permissions";
import { listTenantMembers } from "@/lib/console/members";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { withTenant } from "@/lib/db/tenant-scope";
import { listOpenInvitations } from "@/lib/members/invitations";
import { MembersManager } from "./_components/members-manager";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership, user } = await getTenantPageContext(slug);
  const canManage = can(membership.role, "members.write");
  const [members, invitations] = await Promise.all([
    listTenantMembers(tenant.id),
    canManage ? withTenant(tenant.id, (tx) => listOpenInvitations(tx, tenant.id)) : Promise.resolve([]),
  ]);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description={`${members.length} ${members.length === 1 ? "person has" : "people have"} access to ${tenant.name}.`}
      />
      <MembersManager
        slug={tenant.slug}
        members={members}
        invitations={invitations}
        currentUserId={user.id}
        canManage={canManage}
        canManageOwners={canManageOwners(membership.role)}
      />
    </div>
  );
}
