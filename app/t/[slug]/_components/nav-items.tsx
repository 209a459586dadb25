"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { AuditIcon, KeyIcon, MembersIcon, ModelIcon, OverviewIcon, SettingsIcon, ShieldIcon, UsageIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";

export type NavProps = { slug: string; showAudit: boolean };

/** The console's sections; only pages that exist and that the role may open. */
export function NavItems({ slug, showAudit, onNavigate }: NavProps & { onNavigate?: () => void }) {
  const pathname = usePathname();
  const base = `/t/${slug}`;
  const items = [
    { href: base, label: "Overview", icon: OverviewIcon, exact: true },
    { href: `${base}/models`, label: "Models", icon: ModelIcon },
    { href: `${base}/keys`, label: "API keys", icon: KeyIcon },
    { href: `${base}/usage`, label: "Usage", icon: UsageIcon },
    { href: `${base}/members`, label: "Members", icon: MembersIcon },
    ...(showAudit
      ? [
          { href: `${base}/audit`, label: "Audit log", icon: AuditIcon },
          { href: `${base}/security`, label: "Security log", icon: ShieldIcon },
        ]
      : []),
    { href: `${base}/settings`, label: "Settings", icon: SettingsIcon },
  ];
  return (
    <ul className="space-y-0.5">
      {items.map(({ href, label, icon: Icon, exact }) => {
        const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cx(
                "group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
                active ? "bg-brand-50 text-brand-700" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
              )}
            >
              <Icon className={cx("size-5", active ? "text-brand-600" : "text-zinc-400 group-hover:text-zinc-600")} />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
