import type { ReactNode } from "react";
import { PageHeader } from "@/components/console/page-header";
import { can } from "@/lib/auth/permissions";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { SettingsTabBar } from "./_components/settings-tab-bar";
import { SETTINGS_TABS } from "./_components/settings-tabs";

type Props = { children: ReactNode; params: Promise<{ slug: string }> };

/** Settings: a header, a tab per section (SETTINGS_TABS), the section's page below. */
export default async function SettingsLayout({ children, params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  const tabs = SETTINGS_TABS.filter((t) => can(membership.role, t.permission)).map(({ path, label }) => ({ path, label }));
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description={`How ${tenant.name} is limited, notified and kept.`} />
      <SettingsTabBar slug={tenant.slug} tabs={tabs} />
      {children}
    </div>
  );
}
