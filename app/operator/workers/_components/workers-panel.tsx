"use client";

import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, StatCard } from "@/components/ui/card";
import { AlertIcon, InboxIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { WorkersOverview } from "@/lib/queue/workers-schemas";
import { DeadLettersCard } from "./dead-letters-card";
import { UsageStreamCard } from "./usage-stream-card";
import { useWorkersOverview } from "./workers-api";

const count = (n: number) => n.toLocaleString("en-US");

function schedule(s: WorkersOverview["queues"][number]["schedulers"][number]): string {
  if (s.pattern) return `cron ${s.pattern} (UTC)`;
  if (s.every) return s.every % 60_000 === 0 ? `every ${s.every / 60_000} min` : `every ${s.every / 1000} s`;
  return "—";
}

function HealthLine({ data }: { data: WorkersOverview }) {
  const failed = data.queues.reduce((n, q) => n + q.counts.failed, 0);
  // Each job scheduler keeps its next run as one delayed job: those are not a backlog.
  const waiting = data.queues.reduce((n, q) => n + q.counts.waiting + Math.max(0, q.counts.delayed - q.schedulers.length), 0);
  const alive = data.workers.length;
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="workers-health">
      <StatCard
        label="Workers alive"
        value={<span className={alive ? "text-zinc-900" : "text-red-600"}>{alive}</span>}
        hint={alive ? "processes reporting every 10 s" : "no worker process has reported in 30 s"}
      />
      <StatCard
        label="Heartbeat job"
        value={data.heartbeat.up ? <Badge tone="green" dot>Running</Badge> : <Badge tone="red" dot>Stopped</Badge>}
        hint={data.heartbeat.lastSeen ? `last ${formatDateTime(data.heartbeat.lastSeen)}` : "never ran"}
      />
      <StatCard label="Jobs waiting" value={count(waiting)} hint="waiting to run, or delayed for a retry" />
      <StatCard
        label="Dead letters"
        value={<span className={failed ? "text-red-600" : "text-zinc-900"}>{count(failed)}</span>}
        hint={
          data.usageStream.deadLetters
            ? `jobs failed after their last attempt · ${count(data.usageStream.deadLetters)} dead usage entries`
            : "failed after their last attempt"
        }
      />
    </dl>
  );
}

/** The operator's view of the workers, refreshed every 5 s. */
export function WorkersPanel({ canManage }: { canManage: boolean }) {
  const overview = useWorkersOverview();

  if (overview.isPending) {
    return (
      <div className="space-y-4" aria-busy="true" aria-label="Loading workers">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-24 w-full" />
          ))}
        </div>
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (overview.isError) {
    return (
      <Card>
        <EmptyState icon={<AlertIcon />} title="The workers' health could not be read" description={overview.error.message} />
      </Card>
    );
  }
  const data = overview.data;
  const schedulers = data.queues.flatMap((q) => q.schedulers.map((s) => ({ ...s, queue: q.name })));

  return (
    <div className="space-y-6">
      <HealthLine data={data} />
      <Card>
        <CardHeader title="Queues" description="Jobs per state. Delayed includes each scheduler's next run and retries waiting for their backoff; completed jobs are kept a day, failed ones a week." />
        <Table>
          <THead>
            <TH>Queue</TH>
            <TH className="text-right">Waiting</TH>
            <TH className="text-right">Active</TH>
            <TH className="text-right">Delayed</TH>
            <TH className="text-right">Failed</TH>
            <TH className="hidden text-right md:table-cell">Completed</TH>
          </THead>
          <TBody>
            {data.queues.map((q) => (
              <TR key={q.name} data-testid={`queue-row-${q.name}`}>
                <TD>
                  <code className="font-mono text-sm text-zinc-900">{q.name}</code>
                  {q.paused && <span className="ml-2"><Badge tone="amber">Paused</Badge></span>}
                </TD>
                <TD className="text-right tabular-nums">{count(q.counts.waiting)}</TD>
                <TD className="text-right tabular-nums">{count(q.counts.active)}</TD>
                <TD className="text-right tabular-nums">{count(q.counts.delayed)}</TD>
                <TD className={q.counts.failed ? "text-right tabular-nums font-medium text-red-600" : "text-right tabular-nums"}>{count(q.counts.failed)}</TD>
                <TD className="hidden text-right tabular-nums text-zinc-500 md:table-cell">{count(q.counts.completed)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      <Card>
        <CardHeader title="Schedulers" description="Recurring jobs and when a job of each last succeeded." />
        {schedulers.length === 0 ? (
          <EmptyState icon={<InboxIcon />} title="No schedulers" description="Worker processes create them when they start." />
        ) : (
          <Table>
            <THead>
              <TH>Scheduler</TH>
              <TH className="hidden md:table-cell">Schedule</TH>
              <TH className="hidden lg:table-cell">Next run</TH>
              <TH>Last success</TH>
            </THead>
            <TBody>
              {schedulers.map((s) => (
                <TR key={`${s.queue}/${s.id}`} data-testid={`scheduler-row-${s.id}`}>
                  <TD>
                    <code className="font-mono text-sm text-zinc-900">{s.id}</code>
                    <div className="mt-0.5 text-xs text-zinc-500">queue {s.queue}</div>
                  </TD>
                  <TD className="hidden text-sm text-zinc-600 md:table-cell">{schedule(s)}</TD>
                  <TD className="hidden text-xs text-zinc-500 lg:table-cell">{s.nextRunAt ? formatDateTime(s.nextRunAt) : "—"}</TD>
                  <TD className="text-sm">
                    {s.lastSuccessAt ? formatDateTime(s.lastSuccessAt) : <span className="text-zinc-400">Not yet</span>}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader title="Worker processes" description="Each process reports every 10 s; one that stops cleanly leaves at once, one that dies after 30 s." />
        {data.workers.length === 0 ? (
          <EmptyState icon={<AlertIcon />} title="No worker process is running" description="Start one with npm start (or node workers/main.ts); jobs wait in their queues until then." />
        ) : (
          <Table>
            <THead>
              <TH>Process</TH>
              <TH className="hidden md:table-cell">Queues</TH>
              <TH className="hidden lg:table-cell">Started</TH>
              <TH>Last seen</TH>
            </THead>
            <TBody>
              {data.workers.map((w) => (
                <TR key={w.id} data-testid="worker-row">
                  <TD>
                    <span className="font-mono text-sm text-zinc-900">{w.hostname}</span>
                    <div className="mt-0.5 text-xs text-zinc-500">pid {w.pid} · v{w.version}</div>
                  </TD>
                  <TD className="hidden text-xs text-zinc-600 md:table-cell">{w.queues.join(", ")}</TD>
                  <TD className="hidden text-xs text-zinc-500 lg:table-cell">{formatDateTime(w.startedAt)}</TD>
                  <TD className="text-xs text-zinc-500">{formatDateTime(w.lastSeen)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <DeadLettersCard canManage={canManage} />
      <UsageStreamCard health={data.usageStream} />
    </div>
  );
}
