"use client";

import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type Enrollment = { secret: string; otpauthUri: string; qrCodeDataUrl: string };

/** Scan (or type) the new secret, then confirm it with a code; answers the recovery codes. */
export function TotpSetup({ enrollment, onConfirmed, onCancel }: { enrollment: Enrollment; onConfirmed: (codes: string[]) => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const grouped = enrollment.secret.match(/.{1,4}/g)?.join(" ") ?? enrollment.secret;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { recoveryCodes } = await apiFetch<{ recoveryCodes: string[] }>("/api/v1/account/mfa/enrollment/confirm", {
        method: "POST",
        body: { code },
      });
      onConfirmed(recoveryCodes);
    } catch (err) {
      setPending(false);
      setCode("");
      setError(err instanceof ApiError && err.fields.code ? err.fields.code : err instanceof Error ? err.message : "Try again.");
    }
  }

  return (
    <div className="grid gap-6 sm:grid-cols-[auto_1fr]" data-testid="totp-setup">
      <div className="flex flex-col items-center gap-2">
        {/* A data: URL generated on the server; next/image adds nothing here. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={enrollment.qrCodeDataUrl}
          alt="QR code to scan with your authenticator app"
          width={176}
          height={176}
          className="rounded-lg ring-1 ring-zinc-200"
        />
      </div>
      <div className="space-y-4">
        <ol className="list-decimal space-y-1.5 pl-5 text-sm text-zinc-600">
          <li>Open an authenticator app (1Password, Google Authenticator, Authy…).</li>
          <li>Scan the QR code, or enter this key by hand:</li>
        </ol>
        <div className="rounded-md bg-zinc-50 px-3 py-2 ring-1 ring-inset ring-zinc-200">
          <p className="text-xs font-medium text-zinc-500">Setup key</p>
          <code data-testid="totp-secret" className="mt-0.5 block break-all font-mono text-sm tracking-wider text-zinc-900">
            {grouped}
          </code>
        </div>
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          {error && <Alert>{error}</Alert>}
          <Input
            label="Code from the app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            placeholder="123456"
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
            hint="Enter the 6-digit code the app shows now."
            className="max-w-48 [&_input]:font-mono [&_input]:tracking-[0.3em]"
          />
          <div className="flex gap-3">
            <Button type="submit" loading={pending} disabled={code.length !== 6}>
              Turn on two-factor authentication
            </Button>
            <Button variant="ghost" onClick={onCancel} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}
