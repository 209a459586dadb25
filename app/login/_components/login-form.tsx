"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { signInMessage } from "@/components/auth/sign-in-messages";
import { signInWithPassword } from "@/components/auth/sign-in-request";

type Props = {
  returnTo: string;
  initialError?: string;
  oidc: { id: string; name: string } | null;
};

/**
 * Email and password, then — for an account with MFA — the authenticator
 * code (or a recovery code) in a second step; or single sign-on.
 */
export function LoginForm({ returnTo, initialError, oidc }: Props) {
  const router = useRouter();
  const [step, setStep] = useState<"password" | "mfa">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(initialError ? signInMessage(initialError, { providerName: oidc?.name }) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const fields: Record<string, string> = { email, password };
    if (step === "mfa") fields[useRecovery ? "recoveryCode" : "code"] = code.trim();
    const outcome = await signInWithPassword(fields, returnTo);
    if (outcome.ok) {
      router.replace(returnTo);
      router.refresh();
      return;
    }
    setPending(false);
    if (outcome.error === "MfaRequired") {
      setStep("mfa");
      setCode("");
      return;
    }
    if (step === "mfa") setCode("");
    if (outcome.error === "CredentialsSignin") setStep("password");
    setError(signInMessage(outcome.error, { providerName: oidc?.name, retryAfterSeconds: outcome.retryAfterSeconds }));
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-5" noValidate>
        {error && <Alert>{error}</Alert>}
        {step === "password" ? (
          <>
            <Input
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              placeholder="you@company.com"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <Input
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : (
          <>
            <p className="text-sm text-zinc-600">
              {useRecovery
                ? "Enter one of the recovery codes you saved when you set up two-factor authentication."
                : "Enter the 6-digit code from your authenticator app."}
            </p>
            <Input
              key={useRecovery ? "recovery" : "code"}
              label={useRecovery ? "Recovery code" : "Authentication code"}
              name={useRecovery ? "recoveryCode" : "code"}
              inputMode={useRecovery ? "text" : "numeric"}
              autoComplete={useRecovery ? "off" : "one-time-code"}
              placeholder={useRecovery ? "abcde-12345" : "123456"}
              maxLength={useRecovery ? 11 : 6}
              value={code}
              onChange={(e) => setCode(useRecovery ? e.target.value : e.target.value.replace(/\D/g, ""))}
              autoFocus
              required
              className="[&_input]:font-mono"
            />
          </>
        )}
        <Button type="submit" className="w-full" loading={pending}>
          {pending ? (step === "mfa" ? "Verifying…" : "Signing in…") : step === "mfa" ? "Verify" : "Sign in"}
        </Button>
        {step === "mfa" && (
          <div className="flex justify-between text-sm">
            <button type="button" className="font-medium text-brand-600 hover:text-brand-500" onClick={() => (setUseRecovery(!useRecovery), setCode(""), setError(null))}>
              {useRecovery ? "Use your authenticator app" : "Use a recovery code"}
            </button>
            <button type="button" className="text-zinc-500 hover:text-zinc-700" onClick={() => (setStep("password"), setError(null), setCode(""))}>
              Back
            </button>
          </div>
        )}
      </form>
      {oidc && step === "password" && (
        <>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200" />
            or
            <span className="h-px flex-1 bg-zinc-200" />
          </div>
          <Button variant="secondary" className="w-full" onClick={() => signIn(oidc.id, { callbackUrl: returnTo })}>
            Continue with {oidc.name}
          </Button>
        </>
      )}
      {step === "password" && (
        <p className="text-center text-sm text-zinc-500">
          New to ModelGate?{" "}
          <Link
            href={returnTo === "/" ? "/signup" : `/signup?callbackUrl=${encodeURIComponent(returnTo)}`}
            className="font-medium text-brand-600 hover:text-brand-500"
          >
            Create an account
          </Link>
        </p>
      )}
    </div>
  );
}
