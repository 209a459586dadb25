"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";
import { Dropdown, menuItemClasses } from "@/components/ui/dropdown";
import { BuildingIcon, ShieldIcon, SignOutIcon } from "@/components/ui/icons";

function initialsOf(name: string, email: string): string {
  const words = (name || email).split(/[\s@.]+/).filter(Boolean);
  return ((words[0]?.[0] ?? "") + (words[1]?.[0] ?? "")).toUpperCase() || "?";
}

/** `isOperator` only shows the link: /operator checks users.is_operator on the server itself. */
export function UserMenu({ user }: { user: { email: string; name: string; isOperator?: boolean } }) {
  return (
    <Dropdown
      label="Account menu"
      align="right"
      triggerClassName="flex items-center rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      trigger={() => (
        <span className="flex size-8 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700 ring-1 ring-brand-200">
          {initialsOf(user.name, user.email)}
        </span>
      )}
    >
      {(close) => (
        <>
          <div className="border-b border-zinc-100 px-2.5 pb-2 pt-1.5">
            <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p>
            <p className="truncate text-xs text-zinc-500" data-testid="user-email">
              {user.email}
            </p>
          </div>
          <Link href="/account/security" role="menuitem" onClick={close} className={`${menuItemClasses} mt-1`}>
            <ShieldIcon className="size-4 text-zinc-500" />
            Security
          </Link>
          {user.isOperator && (
            <Link href="/operator" role="menuitem" onClick={close} className={menuItemClasses} data-testid="operator-link">
              <BuildingIcon className="size-4 text-zinc-500" />
              Operator console
            </Link>
          )}
          <button
            type="button"
            role="menuitem"
            className={menuItemClasses}
            onClick={() => signOut({ callbackUrl: "/login" })}
          >
            <SignOutIcon className="size-4 text-zinc-500" />
            Sign out
          </button>
        </>
      )}
    </Dropdown>
  );
}
