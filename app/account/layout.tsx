import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "@/components/console/user-menu";
import { Logo } from "@/components/ui/icons";
import { requireUser } from "@/lib/auth/session";

/** The signed-in user's own pages (not tied to a tenant). */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("/account/security");
  return (
    <div className="min-h-dvh">
      <header className="flex h-16 items-center justify-between border-b border-zinc-200 bg-white px-4 sm:px-6">
        <Link href="/" aria-label="ModelGate home">
          <Logo />
        </Link>
        <div className="flex items-center gap-3">
          <Link href="/" className="hidden text-sm font-medium text-zinc-600 hover:text-zinc-900 sm:block">
            Back to the console
          </Link>
          <UserMenu user={{ email: user.email, name: user.name, isOperator: user.isOperator }} />
        </div>
      </header>
      <main className="mx-auto max-w-3xl px-4 py-10 sm:py-12">{children}</main>
    </div>
  );
}
