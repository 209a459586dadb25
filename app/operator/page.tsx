import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { requireOperatorPage } from "@/lib/console/operator-page";

export const metadata: Metadata = { title: "Tenants" };

export default async function OperatorHomePage() {
  await requireOperatorPage();
  return <PageHeader title="Tenants" description="Every tenant on the platform, against its quota." />;
}
