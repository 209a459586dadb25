import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { ModelsPanel } from "./_components/models-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  // The server refuses model changes to roles without models.write; the page only hides the buttons.
  return <ModelsPanel slug={tenant.slug} canWrite={can(membership.role, "models.write")} />;
}
