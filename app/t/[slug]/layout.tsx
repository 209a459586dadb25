import type { ReactNode } from "react";
import { can, MFA_REQUIRED_ROLES } from "@/lib/auth/permissions";
import { getPageSession } from "@/lib/auth/session";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { listUserTenants } from "@/lib/console/user-tenants";
import { MfaNotice } from "./_components/mfa-notice";
import { Sidebar } from "./_components/sidebar";
import { SuspendedNotice } from "./_components/suspended-notice";
import { TopBar } from "./_components/top-bar";

type Props = { children: ReactNode; params: Promise<{ slug: string }> };

export default async function TenantLayout({ children, params }: Props) {
  const { slug } = await params;
  const { user, tenant, membership } = await getTenantPageContext(slug);
  const [tenants, signedIn] = await Promise.all([listUserTenants(user.id), getPageSession()]);
  const needsMfa = MFA_REQUIRED_ROLES.has(membership.role) && !signedIn?.session.mfaEnabled;
  const nav = {
    slug: tenant.slug,
    showAudit: can(membership.role, "audit.read"),
  };

  return (
    <div className="min-h-dvh lg:pl-64">
      <Sidebar {...nav} />
      <div className="flex min-h-dvh flex-col">
        <TopBar
          current={{ slug: tenant.slug, name: tenant.name }}
          tenants={tenants.map((t) => ({ slug: t.slug, name: t.name, role: t.role }))}
          user={{ email: user.email, name: user.name, isOperator: user.isOperator }}
          nav={nav}
        />
        <main className="flex-1 px-4 py-8 sm:px-6 lg:px-10">
          <div className="mx-auto max-w-6xl">
            {tenant.status === "suspended" ? (
              <SuspendedNotice />
            ) : (
              <>
                {needsMfa && <MfaNotice returnTo={`/t/${tenant.slug}`} />}
                {children}
              </>
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
