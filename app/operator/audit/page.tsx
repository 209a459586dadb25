import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { OperatorAuditSearch } from "./_components/operator-audit-search";

export const metadata: Metadata = { title: "Audit" };

export default async function OperatorAuditPage() {
  await requireOperatorPage("platform.audit.read", "/operator/audit");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit"
        description="Search every tenant's audit trail. Each search is itself recorded in the platform audit log, with its filters."
      />
      <OperatorAuditSearch />
    </div>
  );
}
