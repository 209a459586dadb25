import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { Card } from "@/components/ui/card";
import { listTenantMembers } from "@/lib/console/members";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { MembersTable } from "./_components/members-table";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: Props) {
  const { slug } = await params;
  const { tenant } = await getTenantPageContext(slug);
  const members = await listTenantMembers(tenant.id);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description={`${members.length} ${members.length === 1 ? "person has" : "people have"} access to ${tenant.name}.`}
      />
      <Card>
        <MembersTable members={members} />
      </Card>
    </div>
  );
}
