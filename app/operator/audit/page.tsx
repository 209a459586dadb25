import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { OperatorAuditSearch } from "./_components/operator-audit-search";

export const metadata: Metadata = { title: "Audit" };

type Props = { searchParams: Promise<{ tenant?: string | string[] }> };

export default async function OperatorAuditPage({ searchParams }: Props) {
  await requireOperatorPage("platform.audit.read", "/operator/audit");
  const { tenant } = await searchParams;
  // A slug to start the search with (the tenant page links here); anything else is ignored.
  const slug = typeof tenant === "string" && /^[a-z0-9-]{1,48}$/.test(tenant) ? tenant : undefined;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit"
        description="Search every tenant's audit trail. Each search is itself recorded in the platform audit log, with its filters."
      />
      <OperatorAuditSearch tenant={slug} />
    </div>
  );
}
