import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { readGatewaySettings } from "@/lib/tenants/gateway-settings";
import { GatewaySettingsPanel } from "./_components/gateway-settings-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Gateway" };

/** Where the tenant's gateway requests may come from, how large and how many, and what happens without Redis. */
export default async function GatewaySettingsPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const settings = await readGatewaySettings(tenant.id);
  return <GatewaySettingsPanel slug={tenant.slug} initial={settings} canEdit={can(membership.role, "tenant.settings.write")} />;
}
