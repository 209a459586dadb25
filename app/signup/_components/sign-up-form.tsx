"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { signInMessage } from "@/components/auth/sign-in-messages";
import { signInWithPassword } from "@/components/auth/sign-in-request";

export function SignUpForm({ returnTo, initialEmail }: { returnTo: string; initialEmail: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFields({});
    setFormError(null);
    try {
      await apiFetch("/api/auth/sign-up", { method: "POST", body: { name, email, password } });
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setFields(err.fields);
      else setFormError(err instanceof Error ? err.message : "Something went wrong. Try again.");
      return;
    }
    const outcome = await signInWithPassword({ email, password }, returnTo);
    if (!outcome.ok) {
      // The account exists; only the automatic sign-in failed.
      router.replace(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
      setFormError(signInMessage(outcome.error, { retryAfterSeconds: outcome.retryAfterSeconds }));
      return;
    }
    router.replace(returnTo);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {formError && <Alert>{formError}</Alert>}
      <Input label="Name" name="name" autoComplete="name" required autoFocus value={name} onChange={(e) => setName(e.target.value)} error={fields.name} maxLength={100} />
      <Input
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        placeholder="you@company.com"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fields.email}
      />
      <Input
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fields.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.`}
      />
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
