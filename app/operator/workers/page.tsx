import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { canOnPlatform } from "@/lib/auth/permissions";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { WorkersPanel } from "./_components/workers-panel";

export const metadata: Metadata = { title: "Workers" };

export default async function OperatorWorkersPage() {
  const { user } = await requireOperatorPage("platform.workers.read", "/operator/workers");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Workers"
        description="Background jobs: queue depths, job schedulers, the worker processes alive, and jobs that failed their last attempt."
      />
      <WorkersPanel canManage={canOnPlatform(user, "platform.workers.manage")} />
    </div>
  );
}
