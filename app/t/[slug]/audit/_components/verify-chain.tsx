"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { notice, Notice, type NoticeMessage } from "@/components/console/notice";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ShieldIcon } from "@/components/ui/icons";
import type { z } from "zod";
import type { CheckpointCreateView, verificationView } from "@/lib/audit/audit-schemas";
import { formatDateTime } from "@/lib/console/format";

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

function signedText(c: CheckpointCreateView): string {
  return c.created
    ? `Checkpoint signed at entry #${c.seq} (key ${c.keyId}): it covers every entry up to #${c.seq}, the record of this request included.`
    : `Nothing new to sign: entry #${c.seq}, the newest, was already signed at ${formatDateTime(c.signedAt)}.`;
}

/**
 * Runs the chain verification on demand and shows its result, with the
 * checkpoints and key for independent checks; signs the chain's head on
 * demand (the request is itself an audit entry, so the entries list refreshes).
 */
export function VerifyChain({ slug }: { slug: string }) {
  const base = `/api/v1/tenants/${encodeURIComponent(slug)}/audit`;
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setMessage(null), []);
  const verify = useMutation({ mutationFn: () => apiFetch<Verification>(`${base}/verify`) });
  const sign = useMutation({
    mutationFn: () => apiFetch<CheckpointCreateView>(`${base}/checkpoints`, { method: "POST" }),
    onSuccess: (c) => {
      setMessage(notice("success", signedText(c)));
      if (c.created) void queryClient.invalidateQueries({ queryKey: ["tenants", slug, "audit"] });
    },
    onError: (err) => setMessage(notice("error", `The checkpoint could not be signed: ${err.message}`)),
  });
  return (
    <Card className="px-5 py-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex min-w-0 flex-1 basis-80 items-start gap-3">
          <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-brand-50 text-brand-600">
            <ShieldIcon className="size-5" />
          </div>
          <div className="min-w-0">
            <p className="text-sm font-semibold text-zinc-900">Tamper-evident trail</p>
            <p className="mt-0.5 text-sm text-zinc-500">
              Every entry is hash-chained to the one before it; the chain&apos;s head is signed hourly and on request.{" "}
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
        <div className="flex shrink-0 items-center gap-2">
          <Button variant="secondary" size="sm" loading={sign.isPending} onClick={() => sign.mutate()}>
            Sign checkpoint now
          </Button>
          <Button variant="secondary" size="sm" loading={verify.isPending} onClick={() => verify.mutate()}>
            Verify chain
          </Button>
        </div>
      </div>
      {message && (
        <div className="mt-4">
          <Notice key={message.id} notice={message} onDismiss={dismiss} testId="checkpoint-notice" />
        </div>
      )}
      {(verify.data || verify.error) && (
        <div className="mt-4">
          {verify.data ? <Result result={verify.data} /> : <Alert>{verify.error!.message}</Alert>}
        </div>
      )}
    </Card>
  );
}
