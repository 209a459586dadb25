import { UserMenu } from "@/components/console/user-menu";
import { MobileNav } from "./mobile-nav";
import type { NavProps } from "./nav-items";
import { TenantSwitcher, type SwitcherTenant } from "./tenant-switcher";

type Props = {
  current: { slug: string; name: string };
  tenants: SwitcherTenant[];
  user: { email: string; name: string; isOperator?: boolean };
  nav: NavProps;
};

export function TopBar({ current, tenants, user, nav }: Props) {
  return (
    <header className="sticky top-0 z-10 flex h-16 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6 lg:px-10">
      <MobileNav {...nav} />
      <TenantSwitcher current={current} tenants={tenants} />
      <div className="ml-auto flex items-center gap-3">
        <span className="hidden text-sm text-zinc-500 sm:block">{user.email}</span>
        <UserMenu user={user} />
      </div>
    </header>
  );
}
