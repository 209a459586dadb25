import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { WebhooksPanel } from "./_components/webhooks-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  if (!can(membership.role, "tenant.settings.write")) notFound();
  return <WebhooksPanel slug={tenant.slug} />;
}
