import type { Metadata } from "next";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { TenantsPanel } from "./_components/tenants-panel";

export const metadata: Metadata = { title: "Tenants" };

export default async function OperatorHomePage() {
  await requireOperatorPage("platform.tenants.read");
  return <TenantsPanel />;
}
