import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Logo } from "@/components/ui/icons";
import { oidcSignInOption } from "@/lib/auth/auth-options";
import { getSessionUser, isSafeReturnPath } from "@/lib/auth/session";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = typeof callbackUrl === "string" && isSafeReturnPath(callbackUrl) ? callbackUrl : "/";
  if (await getSessionUser()) redirect(returnTo);

  return (
    <main className="relative flex min-h-dvh flex-col items-center justify-center overflow-hidden px-6 py-12">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-80 bg-gradient-to-b from-brand-100/70 to-transparent"
      />
      <div className="w-full max-w-sm">
        <Logo />
        <h1 className="mt-8 text-2xl font-semibold tracking-tight text-zinc-900">Sign in to your console</h1>
        <p className="mt-2 text-sm text-zinc-500">
          Manage API keys, models and policies for your inference endpoints.
        </p>
        <div className="mt-8 rounded-xl bg-white p-6 shadow-card ring-1 ring-zinc-200">
          <LoginForm
            returnTo={returnTo}
            initialError={typeof error === "string" ? error : undefined}
            oidc={oidcSignInOption()}
          />
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">
          Protected by ModelGate. Sessions expire after 12 hours.
        </p>
      </div>
    </main>
  );
}
