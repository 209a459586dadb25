"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { AlertIcon, CheckIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { DeadLetter } from "@/lib/queue/workers-schemas";
import { useDeadLetters, useDiscardDeadLetter, useRetryDeadLetter } from "./workers-api";

/** Jobs that failed their final attempt, with retry and discard for operators who may manage workers. */
export function DeadLettersCard({ canManage }: { canManage: boolean }) {
  const jobs = useDeadLetters();
  const retry = useRetryDeadLetter();
  const discard = useDiscardDeadLetter();
  const [discarding, setDiscarding] = useState<DeadLetter | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let body;
  if (jobs.isPending) {
    body = (
      <div className="space-y-3 px-5 py-5" aria-busy="true" aria-label="Loading failed jobs">
        <Skeleton className="h-5 w-full" />
        <Skeleton className="h-5 w-2/3" />
      </div>
    );
  } else if (jobs.isError) {
    body = <EmptyState icon={<AlertIcon />} title="Failed jobs could not be loaded" description={jobs.error.message} />;
  } else if (jobs.data.length === 0) {
    body = <EmptyState icon={<CheckIcon />} title="No dead letters" description="Every job either succeeded or is still being retried." />;
  } else {
    body = (
      <Table>
        <THead>
          <TH>Job</TH>
          <TH className="hidden md:table-cell">Tenant</TH>
          <TH>Failure</TH>
          <TH className="hidden lg:table-cell">Failed</TH>
          {canManage && <TH className="text-right">Actions</TH>}
        </THead>
        <TBody>
          {jobs.data.map((job) => (
            <TR key={`${job.queue}/${job.id}`} data-testid="dead-letter-row">
              <TD>
                <code className="font-mono text-xs text-zinc-900">{job.name}</code>
                <div className="mt-0.5 max-w-56 truncate font-mono text-[11px] text-zinc-400" title={job.id}>
                  {job.queue} · {job.id}
                </div>
              </TD>
              <TD className="hidden font-mono text-xs text-zinc-600 md:table-cell">{job.tenantId ?? "platform"}</TD>
              <TD>
                <p className="max-w-80 truncate text-sm text-red-700" title={job.failedReason}>
                  {job.failedReason || "No reason recorded"}
                </p>
                <p className="mt-0.5 text-xs text-zinc-500">
                  {job.attemptsMade} of {job.maxAttempts} attempts
                </p>
              </TD>
              <TD className="hidden text-xs text-zinc-500 lg:table-cell">{job.failedAt ? formatDateTime(job.failedAt) : "—"}</TD>
              {canManage && (
                <TD className="text-right">
                  <div className="flex justify-end gap-2">
                    <Button
                      variant="secondary"
                      size="sm"
                      loading={retry.isPending && retry.variables?.id === job.id}
                      onClick={() => retry.mutate(job, { onSuccess: () => setNotice(`${job.name} is queued again with fresh attempts.`) })}
                    >
                      Retry
                    </Button>
                    <Button variant="ghost" size="sm" className="text-red-600 hover:text-red-700" onClick={() => setDiscarding(job)}>
                      Discard
                    </Button>
                  </div>
                </TD>
              )}
            </TR>
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <>
      {retry.error && <Alert>{retry.error.message}</Alert>}
      {notice && !retry.error && <Alert tone="success">{notice}</Alert>}
      <Card>
        <CardHeader
          title="Dead letters"
          description="Jobs that failed after their last attempt (3 by default, with exponential backoff). Retry puts one back in its queue; discard removes it. Both are recorded in the platform audit log."
        />
        {body}
      </Card>
      <Dialog
        open={discarding !== null}
        onClose={() => (discard.reset(), setDiscarding(null))}
        busy={discard.isPending}
        title="Discard this job?"
        description="It will not run again and leaves the failed list. Its tenant's data is not touched."
      >
        {discard.error && <Alert className="mb-4">{discard.error.message}</Alert>}
        <p className="break-all font-mono text-sm text-zinc-700">
          {discarding?.name} · {discarding?.id}
        </p>
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => (discard.reset(), setDiscarding(null))} disabled={discard.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={discard.isPending}
            onClick={() =>
              discarding &&
              discard.mutate(discarding, { onSuccess: () => (setNotice(`${discarding.name} was discarded.`), setDiscarding(null)) })
            }
          >
            Discard job
          </Button>
        </div>
      </Dialog>
    </>
  );
}
