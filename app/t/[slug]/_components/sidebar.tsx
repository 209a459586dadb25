import Link from "next/link";
import { Logo } from "@/components/ui/icons";
import { NavItems, type NavProps } from "./nav-items";

/** The fixed left sidebar on large screens (small screens use the top bar's menu). */
export function Sidebar(nav: NavProps) {
  return (
    <aside
      aria-label="Console navigation"
      className="fixed inset-y-0 left-0 z-20 hidden w-64 flex-col border-r border-zinc-200 bg-white lg:flex"
    >
      <div className="flex h-16 shrink-0 items-center px-5">
        <Link href="/" aria-label="ModelGate home">
          <Logo />
        </Link>
      </div>
      <nav className="flex-1 overflow-y-auto px-3 py-4">
        <p className="px-3 pb-2 text-xs font-semibold uppercase tracking-wide text-zinc-400">Tenant</p>
        <NavItems {...nav} />
      </nav>
    </aside>
  );
}
