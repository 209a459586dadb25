import type { Metadata } from "next";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { TenantDetail } from "../../_components/tenant-detail";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Tenant" };

export default async function OperatorTenantPage({ params }: Props) {
  const { slug } = await params;
  await requireOperatorPage("platform.tenants.read", `/operator/tenants/${slug}`);
  return <TenantDetail slug={slug} />;
}
