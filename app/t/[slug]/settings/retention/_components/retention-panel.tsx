"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { AlertIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { RetentionRunView } from "@/lib/retention/retention-schemas";
import { EditRetentionDialog } from "./edit-retention-dialog";
import { useRetention, useRunRetention } from "./retention-api";

const RUN_STATUS: Record<RetentionRunView["status"], { tone: BadgeTone; label: string }> = {
  succeeded: { tone: "green", label: "Succeeded" },
  running: { tone: "amber", label: "Running" },
  failed: { tone: "red", label: "Failed" },
};

const count = (n: number) => n.toLocaleString("en-US");

function LastRun({ run }: { run: RetentionRunView | null }) {
  if (!run) return <span className="text-zinc-400">Not run yet</span>;
  const status = RUN_STATUS[run.status];
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={status.tone}>{status.label}</Badge>
        <span className="tabular-nums text-zinc-900">{count(run.deletedCount)} deleted</span>
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        {formatDateTime(run.finishedAt ?? run.startedAt)} · {run.trigger === "manual" ? "run by hand" : "scheduled"}
      </p>
      {run.error && (
        <p className="mt-1 max-w-72 truncate text-xs text-red-600" title={run.error}>
          {run.error}
        </p>
      )}
    </div>
  );
}

/** Retention per data class, with the oldest row kept and the last run; edit (step-up) and run now. */
export function RetentionPanel({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const [queuedAt, setQueuedAt] = useState<string | null>(null);
  const retention = useRetention(slug, queuedAt !== null);
  const run = useRunRetention(slug);
  const [editing, setEditing] = useState(false);

  const data = retention.data;
  const runShown = queuedAt !== null && data?.classes.every((c) => c.lastRun && c.lastRun.startedAt >= queuedAt && c.lastRun.status !== "running");
  if (runShown) setQueuedAt(null);

  const actions = canEdit && data && (
    <div className="flex gap-2">
      <Button
        variant="secondary"
        size="sm"
        loading={run.isPending}
        onClick={() => run.mutate(undefined, { onSuccess: (queued) => setQueuedAt(queued.queuedAt.slice(0, 16)) })}
      >
        Run now
      </Button>
      <Button size="sm" onClick={() => setEditing(true)}>
        Edit retention
      </Button>
    </div>
  );

  let body;
  if (retention.isPending) {
    body = (
      <div className="space-y-3 px-5 py-5" aria-busy="true" aria-label="Loading retention">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    );
  } else if (retention.isError) {
    body = <EmptyState icon={<AlertIcon />} title="Retention could not be loaded" description={retention.error.message} />;
  } else {
    body = (
      <Table>
        <THead>
          <TH>Data</TH>
          <TH>Kept for</TH>
          <TH className="hidden md:table-cell">Oldest row kept</TH>
          <TH>Last run</TH>
        </THead>
        <TBody>
          {retention.data.classes.map((c) => (
            <TR key={c.dataClass} data-testid={`retention-row-${c.dataClass}`}>
              <TD className="min-w-56 max-w-96 whitespace-normal pr-10">
                <p className="font-medium text-zinc-900">{c.label}</p>
                <p className="mt-0.5 text-xs text-zinc-500">{c.description}</p>
              </TD>
              <TD>
                <span className="tabular-nums text-zinc-900" data-testid="retention-days">
                  {count(c.days)} days
                </span>
                <div className="mt-1">{c.isDefault ? <Badge>Default</Badge> : <Badge tone="brand">Custom</Badge>}</div>
              </TD>
              <TD className="hidden text-sm text-zinc-600 md:table-cell">
                {c.oldestKeptAt ? formatDateTime(c.oldestKeptAt) : <span className="text-zinc-400">Nothing stored</span>}
              </TD>
              <TD>
                <LastRun run={c.lastRun} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <div className="space-y-6">
      {run.error && <Alert>{run.error.message}</Alert>}
      {queuedAt && (
        <Alert tone="info">Retention run queued. This page updates when the workers have finished it.</Alert>
      )}
      <Card>
        <CardHeader
          title="Retention"
          description={
            <>
              Rows older than their class&apos;s retention are deleted daily, in small batches, and each run is recorded in the audit log.
              {data && <> Audit entries are kept at least {count(data.auditMinimumDays)} days.</>}
            </>
          }
          actions={actions}
        />
        {body}
      </Card>
      {data && <EditRetentionDialog slug={slug} classes={data.classes} open={editing} onClose={() => setEditing(false)} />}
    </div>
  );
}
