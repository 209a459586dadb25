"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cx } from "@/components/ui/cx";
import { AuditIcon, BuildingIcon, ModelIcon, PulseIcon } from "@/components/ui/icons";

type NavItem = { href: string; label: string; icon: ComponentType<SVGProps<SVGSVGElement>>; exact?: boolean };

/**
 * The operator area's sections. Add a section here (one line) when its page
 * exists; each page guards itself with requireOperatorPage().
 */
export const OPERATOR_NAV_ITEMS: readonly NavItem[] = [
  { href: "/operator", label: "Tenants", icon: BuildingIcon, exact: true },
  { href: "/operator/models", label: "Models", icon: ModelIcon },
  { href: "/operator/audit", label: "Audit", icon: AuditIcon },
  { href: "/operator/workers", label: "Workers", icon: PulseIcon },
];

function isActive(pathname: string, { href, exact }: NavItem): boolean {
  if (exact) return pathname === href || (href === "/operator" && pathname.startsWith("/operator/tenants"));
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function OperatorNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {OPERATOR_NAV_ITEMS.map((item) => {
        const { href, label, icon: Icon } = item;
        const active = isActive(pathname, item);
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
