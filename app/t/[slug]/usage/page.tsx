import type { Metadata } from "next";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { UsagePanel } from "./_components/usage-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ params }: Props) {
  const { slug } = await params;
  // Every role holds usage.read; the API checks it again on each request.
  const { tenant } = await getTenantPageContext(slug);
  return <UsagePanel slug={tenant.slug} />;
}
