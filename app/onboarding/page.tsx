import type { Metadata } from "next";
import Link from "next/link";
import { UserMenu } from "@/components/console/user-menu";
import { Logo } from "@/components/ui/icons";
import { requireSession } from "@/lib/auth/session";
import { listUserTenants } from "@/lib/console/user-tenants";
import { CreateTenantForm } from "./_components/create-tenant-form";

export const metadata: Metadata = { title: "Create a tenant" };

export default async function OnboardingPage() {
  const { user, session } = await requireSession("/onboarding");
  const tenants = await listUserTenants(user.id);
  const first = tenants.length === 0;

  return (
    <div className="min-h-dvh">
      <header className="flex h-16 items-center justify-between border-b border-zinc-200 bg-white px-4 sm:px-6">
        <Link href="/" aria-label="ModelGate home">
          <Logo />
        </Link>
        <UserMenu user={{ email: user.email, name: user.name }} />
      </header>
      <main className="mx-auto max-w-lg px-4 py-12 sm:py-16">
        <p className="text-sm font-semibold text-brand-600">{first ? "Welcome to ModelGate" : "New tenant"}</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">
          {first ? "Create your first tenant" : "Create a tenant"}
        </h1>
        <p className="mt-2 text-sm text-zinc-500">
          A tenant holds your API keys, models, policies and audit trail, isolated from every other
          tenant. You become its owner and can invite your team afterwards.
          {!session.mfaEnabled && " Next, you will set up two-factor authentication, which owners need for sensitive changes."}
        </p>
        <div className="mt-8 rounded-xl bg-white p-6 shadow-card ring-1 ring-zinc-200">
          <CreateTenantForm mfaEnabled={session.mfaEnabled} />
        </div>
        {!first && (
          <p className="mt-6 text-center text-sm text-zinc-500">
            <Link href="/" className="font-medium text-brand-600 hover:text-brand-500">
              Back to the console
            </Link>
          </p>
        )}
      </main>
    </div>
  );
}
