"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";

/** The tab row under the Settings header; the active tab follows the URL. */
export function SettingsTabBar({ slug, tabs }: { slug: string; tabs: { path: string; label: string }[] }) {
  const pathname = usePathname();
  const base = `/t/${slug}/settings`;
  return (
    <nav aria-label="Settings sections" className="border-b border-zinc-200">
      <ul className="-mb-px flex gap-6">
        {tabs.map((tab) => {
          const href = tab.path ? `${base}/${tab.path}` : base;
          const active = tab.path ? pathname === href || pathname.startsWith(`${href}/`) : pathname === base;
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "inline-block border-b-2 px-1 pb-3 text-sm font-medium transition-colors",
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
