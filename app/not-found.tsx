import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Logo } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 py-16">
      <Logo />
      <div className="mt-10 text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">Page not found</h1>
        <p className="mt-2 max-w-sm text-sm text-zinc-500">
          This page does not exist, or your account does not have access to it.
        </p>
        <ButtonLink href="/" className="mt-6">
          Back to the console
        </ButtonLink>
      </div>
    </main>
  );
}
