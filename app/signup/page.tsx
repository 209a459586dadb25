import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Logo } from "@/components/ui/icons";
import { getSessionUser, isSafeReturnPath } from "@/lib/auth/session";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[]; email?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const { callbackUrl, email } = await searchParams;
  const returnTo = typeof callbackUrl === "string" && isSafeReturnPath(callbackUrl) ? callbackUrl : "/onboarding";
  if (await getSessionUser()) redirect(returnTo);
  const loginHref = returnTo === "/onboarding" ? "/login" : `/login?callbackUrl=${encodeURIComponent(returnTo)}`;

  return (
    <main className="relative flex min-h-dvh flex-col items-center justify-center overflow-hidden px-6 py-12">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-80 bg-gradient-to-b from-brand-100/70 to-transparent"
      />
      <div className="w-full max-w-sm">
        <Logo />
        <h1 className="mt-8 text-2xl font-semibold tracking-tight text-zinc-900">Create your account</h1>
        <p className="mt-2 text-sm text-zinc-500">Secure your inference APIs in minutes. You can invite your team afterwards.</p>
        <div className="mt-8 rounded-xl bg-white p-6 shadow-card ring-1 ring-zinc-200">
          <SignUpForm returnTo={returnTo} initialEmail={typeof email === "string" ? email : ""} />
        </div>
        <p className="mt-6 text-center text-sm text-zinc-500">
          Already have an account?{" "}
          <Link href={loginHref} className="font-medium text-brand-600 hover:text-brand-500">
            Sign in
          </Link>
        </p>
      </div>
    </main>
  );
}
