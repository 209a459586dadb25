"use client";

import Link from "next/link";
import { Dropdown, menuItemClasses } from "@/components/ui/dropdown";
import { CheckIcon, ChevronUpDownIcon, PlusIcon } from "@/components/ui/icons";

export type SwitcherTenant = { slug: string; name: string; role: string };

function TenantAvatar({ name }: { name: string }) {
  return (
    <span className="flex size-6 shrink-0 items-center justify-center rounded-md bg-zinc-900 text-[11px] font-semibold text-white">
      {name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}

/** Every tenant of the user, plus "Create tenant". */
export function TenantSwitcher({ current, tenants }: { current: { slug: string; name: string }; tenants: SwitcherTenant[] }) {
  return (
    <Dropdown
      label="Switch tenant"
      triggerClassName="flex max-w-[16rem] items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-zinc-900 ring-1 ring-inset ring-zinc-200 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-brand-600"
      panelClassName="w-72"
      trigger={() => (
        <>
          <TenantAvatar name={current.name} />
          <span className="truncate" data-testid="current-tenant">
            {current.name}
          </span>
          <ChevronUpDownIcon className="size-4 shrink-0 text-zinc-400" />
        </>
      )}
    >
      {(close) => (
        <>
          <p className="px-2.5 pb-1 pt-1.5 text-xs font-medium text-zinc-500">Your tenants</p>
          <ul className="max-h-72 overflow-y-auto">
            {tenants.map((t) => (
              <li key={t.slug}>
                <Link href={`/t/${t.slug}`} role="menuitem" onClick={close} className={menuItemClasses}>
                  <TenantAvatar name={t.name} />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium text-zinc-900">{t.name}</span>
                    <span className="block truncate text-xs text-zinc-500">
                      {t.slug} · {t.role}
                    </span>
                  </span>
                  {t.slug === current.slug && <CheckIcon className="size-4 text-brand-600" />}
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-1 border-t border-zinc-100 pt-1">
            <Link href="/onboarding" role="menuitem" onClick={close} className={menuItemClasses}>
              <span className="flex size-6 items-center justify-center rounded-md border border-dashed border-zinc-300 text-zinc-500">
                <PlusIcon className="size-4" />
              </span>
              Create tenant
            </Link>
          </div>
        </>
      )}
    </Dropdown>
  );
}
