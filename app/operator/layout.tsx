import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "@/components/console/user-menu";
import { Badge } from "@/components/ui/badge";
import { Logo } from "@/components/ui/icons";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { OperatorMobileNav } from "./_components/operator-mobile-nav";
import { OperatorNav } from "./_components/operator-nav";

export const metadata: Metadata = { title: { template: "%s · Operator · ModelGate", default: "Operator · ModelGate" } };

/**
 * The platform operator area: same frame as the tenant console (fixed
 * sidebar, sticky top bar). Non-operators get a 404 here and on every page
 * below (each page calls requireOperatorPage itself as well).
 */
export default async function OperatorLayout({ children }: { children: ReactNode }) {
  const { user } = await requireOperatorPage();
  return (
    <div className="min-h-dvh lg:pl-64">
      <aside
        aria-label="Operator navigation"
        className="fixed inset-y-0 left-0 z-20 hidden w-64 flex-col border-r border-zinc-200 bg-white lg:flex"
      >
        <div className="flex h-16 shrink-0 items-center px-5">
          <Link href="/" aria-label="ModelGate home">
            <Logo />
          </Link>
        </div>
        <nav className="flex-1 overflow-y-auto px-3 py-4">
          <p className="px-3 pb-2 text-xs font-semibold uppercase tracking-wide text-zinc-400">Platform</p>
          <OperatorNav />
        </nav>
      </aside>
      <div className="flex min-h-dvh flex-col">
        <header className="sticky top-0 z-10 flex h-16 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6 lg:px-10">
          <OperatorMobileNav />
          <span className="text-sm font-semibold text-zinc-900">Operator console</span>
          <Badge tone="amber">Platform</Badge>
          <div className="ml-auto flex items-center gap-3">
            <span className="hidden text-sm text-zinc-500 sm:block">{user.email}</span>
            <UserMenu user={{ email: user.email, name: user.name, isOperator: true }} />
          </div>
        </header>
        <main className="flex-1 px-4 py-8 sm:px-6 lg:px-10">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
