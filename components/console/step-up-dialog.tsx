"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ApiError, apiFetch } from "./api-fetch";
import { registerStepUpHost, type StepUpPrompt } from "./step-up-controller";

/**
 * Mounted once (Providers). Opens when apiFetch meets `step_up_required`:
 * asks for a TOTP code (or a recovery code), verifies it through
 * /api/v1/account/step-up — which rotates the session cookie — and lets
 * apiFetch retry the original request. For `mfa_enrollment_required` it
 * points to MFA setup instead.
 */
export function StepUpDialogHost() {
  const [prompt, setPrompt] = useState<StepUpPrompt | null>(null);
  useEffect(() => registerStepUpHost(setPrompt), []);

  if (prompt?.kind === "enroll") {
    return <EnrollmentRequiredDialog message={prompt.message} onClose={() => (prompt.resolve(), setPrompt(null))} />;
  }
  if (prompt?.kind !== "verify") return null;
  // Mounted per prompt, so every prompt starts with an empty form.
  return (
    <StepUpDialog
      onDone={(verified) => {
        prompt.resolve(verified);
        setPrompt(null);
      }}
    />
  );
}

function StepUpDialog({ onDone }: { onDone: (verified: boolean) => void }) {
  const [mode, setMode] = useState<"code" | "recovery">("code");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const body = mode === "code" ? { code: value.trim() } : { recoveryCode: value.trim() };
      await apiFetch("/api/v1/account/step-up", { method: "POST", body, stepUp: false });
      onDone(true);
    } catch (err) {
      setPending(false);
      setValue("");
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setError(Object.values(err.fields)[0]!);
      else setError(err instanceof Error ? err.message : "Verification failed. Try again.");
      input.current?.focus();
    }
  }

  return (
    <Dialog
      open
      onClose={() => onDone(false)}
      busy={pending}
      title="Confirm it's you"
      description={
        mode === "code"
          ? "This is a sensitive action. Enter the 6-digit code from your authenticator app to continue."
          : "Enter one of your recovery codes. Each code works once."
      }
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate data-testid="step-up-form">
        {error && <Alert>{error}</Alert>}
        {mode === "code" ? (
          <Input
            ref={input}
            key="code"
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            placeholder="123456"
            value={value}
            onChange={(e) => setValue(e.target.value.replace(/\D/g, ""))}
            autoFocus
            className="[&_input]:font-mono [&_input]:tracking-[0.3em]"
          />
        ) : (
          <Input
            ref={input}
            key="recovery"
            label="Recovery code"
            name="recoveryCode"
            autoComplete="off"
            spellCheck={false}
            placeholder="abcde-12345"
            maxLength={11}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
            className="[&_input]:font-mono"
          />
        )}
        <div className="flex items-center justify-between gap-3 pt-2">
          <button
            type="button"
            className="text-sm font-medium text-brand-600 hover:text-brand-500"
            onClick={() => {
              setMode(mode === "code" ? "recovery" : "code");
              setValue("");
              setError(null);
            }}
          >
            {mode === "code" ? "Use a recovery code" : "Use your authenticator app"}
          </button>
          <div className="flex gap-3">
            <Button variant="secondary" onClick={() => onDone(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={!value.trim()}>
              Verify
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

function EnrollmentRequiredDialog({ message, onClose }: { message: string; onClose: () => void }) {
  const pathname = usePathname();
  return (
    <Dialog
      open
      onClose={onClose}
      title="Set up two-factor authentication"
      description="Sensitive changes need a second factor. It takes a minute with any authenticator app."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Not now
          </Button>
          <ButtonLink href={`/account/security?next=${encodeURIComponent(pathname)}`} onClick={onClose}>
            Set up now
          </ButtonLink>
        </>
      }
    >
      <p className="text-sm text-zinc-600">{message}</p>
      <p className="mt-3 text-sm text-zinc-500">
        You can also find it later under{" "}
        <Link href="/account/security" onClick={onClose} className="font-medium text-brand-600 hover:text-brand-500">
          Account → Security
        </Link>
        .
      </p>
    </Dialog>
  );
}
