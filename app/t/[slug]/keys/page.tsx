import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { KeysPanel } from "./_components/keys-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  // The server refuses key changes to roles without keys.write; the page only hides the buttons.
  return <KeysPanel slug={tenant.slug} canWrite={can(membership.role, "keys.write")} />;
}
