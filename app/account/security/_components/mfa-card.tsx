"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { formatDate } from "@/lib/console/format";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { TotpSetup, type Enrollment } from "./totp-setup";

type Props = { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number; next: string | null; stepUpMinutes: number };

type View = { kind: "status" } | { kind: "setup"; enrollment: Enrollment } | { kind: "codes"; codes: string[]; fresh: boolean };

export function MfaCard({ enabled, enabledAt, recoveryCodesLeft, next, stepUpMinutes }: Props) {
  const router = useRouter();
  const [view, setView] = useState<View>({ kind: "status" });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);

  async function run(action: string, fn: () => Promise<void>) {
    setPending(action);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Something went wrong. Try again.");
    } finally {
      setPending(null);
    }
  }

  const startSetup = () =>
    run("setup", async () => {
      const enrollment = await apiFetch<Enrollment>("/api/v1/account/mfa/enrollment", { method: "POST" });
      setView({ kind: "setup", enrollment });
    });

  const finish = () => {
    setView({ kind: "status" });
    if (next) router.push(next);
    router.refresh();
  };

  const on = enabled || (view.kind === "codes" && view.fresh);
  return (
    <>
      {next && !on && (
        <Alert tone="info">
          One more step: set up two-factor authentication. Owners and admins need it for sensitive changes such as
          keys, models and member roles.
        </Alert>
      )}
      <Card aria-labelledby="mfa-title">
        <CardHeader
          title={<span id="mfa-title">Two-factor authentication</span>}
          description={`A code from an authenticator app, asked at sign-in and again before sensitive changes (valid for ${stepUpMinutes} minutes).`}
          actions={on ? <Badge tone="green" dot>On</Badge> : <Badge tone="amber" dot>Off</Badge>}
        />
        <div className="px-5 py-5">
          {error && <Alert className="mb-4">{error}</Alert>}
          {view.kind === "setup" ? (
            <TotpSetup
              enrollment={view.enrollment}
              onConfirmed={(codes) => setView({ kind: "codes", codes, fresh: true })}
              onCancel={() => setView({ kind: "status" })}
            />
          ) : view.kind === "codes" ? (
            <div className="space-y-4">
              {view.fresh && <Alert tone="success">Two-factor authentication is on. Your other sessions were signed out.</Alert>}
              <RecoveryCodesPanel codes={view.codes} onDone={finish} doneLabel={next ? "I saved my codes, continue" : "I saved my codes"} />
            </div>
          ) : enabled ? (
            <div className="flex flex-wrap items-center justify-between gap-4">
              <div className="text-sm text-zinc-600">
                <p>Turned on {enabledAt ? formatDate(enabledAt) : ""} with an authenticator app.</p>
                <p className="mt-1" data-testid="recovery-codes-left">
                  {recoveryCodesLeft} of 10 recovery codes left.
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  loading={pending === "codes"}
                  onClick={() =>
                    run("codes", async () => {
                      const { recoveryCodes } = await apiFetch<{ recoveryCodes: string[] }>("/api/v1/account/mfa/recovery-codes", { method: "POST" });
                      setView({ kind: "codes", codes: recoveryCodes, fresh: false });
                    })
                  }
                >
                  New recovery codes
                </Button>
                <Button variant="secondary" size="sm" loading={pending === "setup"} onClick={startSetup}>
                  Reset authenticator
                </Button>
                <Button variant="danger" size="sm" onClick={() => setConfirmOff(true)}>
                  Turn off
                </Button>
              </div>
            </div>
          ) : (
            <div className="flex flex-wrap items-center justify-between gap-4">
              <p className="max-w-md text-sm text-zinc-600">
                Owners and admins need two-factor authentication before they can change keys, models, members or other
                sensitive settings.
              </p>
              <div className="flex items-center gap-3">
                {next && (
                  <ButtonLink href={next} variant="ghost">
                    Skip for now
                  </ButtonLink>
                )}
                <Button loading={pending === "setup"} onClick={startSetup}>
                  Set up two-factor authentication
                </Button>
              </div>
            </div>
          )}
        </div>
        <Dialog
          open={confirmOff}
          onClose={() => setConfirmOff(false)}
          busy={pending === "off"}
          title="Turn off two-factor authentication?"
          description="You will no longer be asked for a code at sign-in, and sensitive changes will be blocked until you set it up again. Your other sessions will be signed out."
          footer={
            <>
              <Button variant="secondary" onClick={() => setConfirmOff(false)} disabled={pending === "off"}>
                Keep it on
              </Button>
              <Button
                variant="danger"
                loading={pending === "off"}
                onClick={() =>
                  run("off", async () => {
                    await apiFetch("/api/v1/account/mfa", { method: "DELETE" });
                    setConfirmOff(false);
                    router.refresh();
                  })
                }
              >
                Turn off
              </Button>
            </>
          }
        />
      </Card>
    </>
  );
}
