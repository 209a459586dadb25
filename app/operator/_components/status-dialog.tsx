"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import type { OperatorTenant } from "@/lib/quotas/operator-overview";
import { useSetStatus } from "./operator-api";

type Props = { target: OperatorTenant | null; onClose: () => void; onDone: (message: string) => void };

/** Suspends an active tenant or resumes a suspended one (step-up). */
export function StatusDialog({ target, onClose, onDone }: Props) {
  const setStatus = useSetStatus();
  const [reason, setReason] = useState("");
  const suspending = target?.status === "active";

  function close() {
    setStatus.reset();
    setReason("");
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      busy={setStatus.isPending}
      title={suspending ? `Suspend ${target?.name ?? ""}?` : `Resume ${target?.name ?? ""}?`}
      description={
        suspending
          ? "Every gateway refuses the tenant's API keys within about a second (403 tenant_suspended), and its members can no longer act in the console. Nothing is deleted."
          : "The tenant's keys work again at once, within their own limits and quota."
      }
    >
      {setStatus.error && <Alert className="mb-4">{setStatus.error.message}</Alert>}
      {suspending && (
        <Input label="Reason (recorded in the audit trail)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="e.g. unpaid invoice" />
      )}
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={close} disabled={setStatus.isPending}>
          Cancel
        </Button>
        <Button
          variant={suspending ? "danger" : "primary"}
          loading={setStatus.isPending}
          onClick={() =>
            target &&
            setStatus.mutate(
              { slug: target.slug, status: suspending ? "suspended" : "active", reason },
              { onSuccess: () => (onDone(suspending ? `${target.name} is suspended.` : `${target.name} is active again.`), close()) },
            )
          }
        >
          {suspending ? (setStatus.isPending ? "Suspending…" : "Suspend tenant") : setStatus.isPending ? "Resuming…" : "Resume tenant"}
        </Button>
      </div>
    </Dialog>
  );
}
