import type { Metadata } from "next";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { getUsageFilterOptions } from "@/lib/usage/usage-filter-options";
import { UsagePanel } from "./_components/usage-panel";
import { viewFromSearch } from "./_components/usage-view";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ params, searchParams }: Props) {
  const { slug } = await params;
  // Every role holds usage.read; the API checks it again on each request.
  const { tenant } = await getTenantPageContext(slug);
  const options = await getUsageFilterOptions(tenant.id);
  return <UsagePanel slug={tenant.slug} initialView={viewFromSearch(await searchParams)} options={options} />;
}
