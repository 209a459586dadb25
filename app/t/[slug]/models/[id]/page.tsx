import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { ModelDetail } from "../_components/model-detail";

type Props = { params: Promise<{ slug: string; id: string }> };

export const metadata: Metadata = { title: "Model" };

export default async function ModelPage({ params }: Props) {
  const { slug, id } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  return <ModelDetail slug={tenant.slug} id={id} canWrite={can(membership.role, "models.write")} />;
}
