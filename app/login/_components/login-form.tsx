"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";

// One message for every credential failure: it must not tell whether the email exists.
const BAD_CREDENTIALS = "Incorrect email or password.";
const UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";

function messageFor(error: string | undefined): string | null {
  if (!error) return null;
  return error === "CredentialsSignin" ? BAD_CREDENTIALS : UNAVAILABLE;
}

export function LoginForm({ returnTo, initialError }: { returnTo: string; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(messageFor(initialError));
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    }).catch(() => undefined);
    if (result?.ok && !result.error) {
      router.replace(returnTo);
      router.refresh();
      return;
    }
    setPending(false);
    setError(messageFor(result?.error ?? "unavailable"));
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {error && (
        <div role="alert" className="flex gap-2.5 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          <AlertIcon className="size-5 shrink-0" />
          <span>{error}</span>
        </div>
      )}
      <Input label="Email" name="email" type="email" autoComplete="username" required autoFocus placeholder="you@company.com" />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
