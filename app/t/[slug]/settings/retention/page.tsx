import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { RetentionPanel } from "./_components/retention-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Retention" };

/** How long each class of the tenant's data is kept, what is stored, and what the last runs deleted. */
export default async function RetentionSettingsPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  return <RetentionPanel slug={tenant.slug} canEdit={can(membership.role, "tenant.settings.write")} />;
}
