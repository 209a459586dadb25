"use client";

import { Dropdown } from "@/components/ui/dropdown";
import { OperatorNav } from "./operator-nav";

/** The operator sidebar as a menu, below the `lg` breakpoint. */
export function OperatorMobileNav() {
  return (
    <div className="lg:hidden">
      <Dropdown
        label="Open navigation"
        triggerClassName="flex size-9 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100"
        trigger={() => (
          <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.6} aria-hidden="true">
            <path d="M4 7h16M4 12h16M4 17h16" strokeLinecap="round" />
          </svg>
        )}
      >
        {(close) => (
          <nav className="p-1">
            <OperatorNav onNavigate={close} />
          </nav>
        )}
      </Dropdown>
    </div>
  );
}
