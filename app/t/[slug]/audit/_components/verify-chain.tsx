"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ShieldIcon } from "@/components/ui/icons";
import type { z } from "zod";
import type { verificationView } from "@/lib/audit/audit-schemas";

type Verification = z.output<typeof verificationView>;

const REASONS: Record<NonNullable<Verification["broken"]>["reason"], string> = {
  edited: "an entry was changed after it was written",
  deleted: "entries are missing",
  reordered: "entries were moved out of order",
  truncated: "the newest entries were removed",
  bad_checkpoint: "a checkpoint signature does not verify",
};

function Result({ result }: { result: Verification }) {
  if (result.status === "empty") return <Alert tone="info">No audit entries yet: there is nothing to verify.</Alert>;
  if (result.status === "valid") {
    return (
      <Alert tone="success">
        <p className="font-medium" data-testid="verify-result">
          Chain intact: {result.valid}/{result.total} entries valid
        </p>
        <p className="mt-0.5">
          Sequence {result.firstSeq}–{result.lastSeq}
          {result.anchor === "checkpoint" ? ", starting at a signed checkpoint (older entries were removed by retention)" : ""};{" "}
          {result.checkpoints.total} signed checkpoint{result.checkpoints.total === 1 ? "" : "s"} verified.
        </p>
      </Alert>
    );
  }
  const b = result.broken!;
  return (
    <Alert tone="error">
      <p className="font-medium" data-testid="verify-result">
        Chain broken at entry #{b.seq}: {REASONS[b.reason]}
      </p>
      <p className="mt-0.5">
        {b.message}. {result.valid}/{result.total} entries verified before the break.
      </p>
    </Alert>
  );
}

/** Runs the chain verification on demand and shows its result, with the checkpoints and key for independent checks. */
export function VerifyChain({ slug }: { slug: string }) {
  const base = `/api/v1/tenants/${encodeURIComponent(slug)}/audit`;
  const verify = useMutation({ mutationFn: () => apiFetch<Verification>(`${base}/verify`) });
  return (
    <Card className="px-5 py-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex min-w-0 items-start gap-3">
          <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-brand-50 text-brand-600">
            <ShieldIcon className="size-5" />
          </div>
          <div className="min-w-0">
            <p className="text-sm font-semibold text-zinc-900">Tamper-evident trail</p>
            <p className="mt-0.5 text-sm text-zinc-500">
              Every entry is hash-chained to the one before it; the chain&apos;s head is signed hourly.{" "}
              <a className="font-medium text-brand-700 hover:underline" href={`${base}/checkpoints`} download={`checkpoints-${slug}.json`}>
                Checkpoints
              </a>{" "}
              ·{" "}
              <a className="font-medium text-brand-700 hover:underline" href={`${base}/public-key?format=pem`} download>
                Public key
              </a>
            </p>
          </div>
        </div>
        <Button variant="secondary" size="sm" loading={verify.isPending} onClick={() => verify.mutate()}>
          Verify chain
        </Button>
      </div>
      {(verify.data || verify.error) && (
        <div className="mt-4">
          {verify.data ? <Result result={verify.data} /> : <Alert>{verify.error!.message}</Alert>}
        </div>
      )}
    </Card>
  );
}
