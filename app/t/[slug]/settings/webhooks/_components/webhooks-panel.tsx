"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { AlertIcon, InboxIcon, PlusIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { WebhookDeliveryView, WebhookEndpointView } from "@/lib/webhooks/webhook-schemas";
import { AddWebhookDialog } from "./add-webhook-dialog";
import { useDeleteWebhook, useTestWebhook, useWebhookDeliveries, useWebhookEndpoints } from "./webhooks-api";

const STATUS: Record<WebhookDeliveryView["status"], { tone: BadgeTone; label: string }> = {
  succeeded: { tone: "green", label: "Delivered" },
  pending: { tone: "amber", label: "Retrying" },
  failed: { tone: "red", label: "Failed" },
};

function Loading({ label }: { label: string }) {
  return (
    <div className="space-y-3 px-5 py-5" aria-busy="true" aria-label={label}>
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-5 w-full" />
      ))}
    </div>
  );
}

/** Webhook endpoints (add, test, delete) and the delivery log. */
export function WebhooksPanel({ slug }: { slug: string }) {
  const endpoints = useWebhookEndpoints(slug);
  const deliveries = useWebhookDeliveries(slug);
  const test = useTestWebhook(slug);
  const remove = useDeleteWebhook(slug);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<WebhookEndpointView | null>(null);
  const [testResult, setTestResult] = useState<{ endpointId: string; delivery: WebhookDeliveryView } | null>(null);

  const addButton = (
    <Button size="sm" onClick={() => setAdding(true)}>
      <PlusIcon className="size-4" />
      Add endpoint
    </Button>
  );

  let list;
  if (endpoints.isPending) list = <Loading label="Loading endpoints" />;
  else if (endpoints.isError) list = <EmptyState icon={<AlertIcon />} title="The endpoints could not be loaded" description={endpoints.error.message} />;
  else if (endpoints.data.length === 0) {
    list = (
      <EmptyState
        icon={<InboxIcon />}
        title="No webhook endpoints"
        description="Add one to be told when your tenant reaches its quota and when each quota period closes."
        action={addButton}
      />
    );
  } else {
    list = (
      <ul className="divide-y divide-zinc-100">
        {endpoints.data.map((e) => {
          const result = testResult?.endpointId === e.id ? testResult.delivery : null;
          return (
            <li key={e.id} className="flex flex-wrap items-center gap-4 px-5 py-4" data-testid="webhook-row">
              <div className="min-w-0 flex-1">
                <p className="truncate font-mono text-sm text-zinc-900" title={e.url}>
                  {e.url}
                </p>
                <p className="mt-1 text-xs text-zinc-500">
                  {e.description && <>{e.description} · </>}
                  {e.eventTypes.length ? e.eventTypes.join(", ") : "all events"} · secret{" "}
                  <code className="rounded bg-zinc-100 px-1 font-mono text-zinc-700">{e.secretPrefix}</code> · added {formatDateTime(e.createdAt)}
                </p>
                {result && (
                  <p className="mt-1.5 text-xs" role="status" data-testid="webhook-test-result">
                    <Badge tone={STATUS[result.status].tone}>{result.status === "succeeded" ? `Test delivered (${result.lastStatusCode})` : "Test failed"}</Badge>{" "}
                    {result.lastError && <span className="text-red-600">{result.lastError}</span>}
                  </p>
                )}
              </div>
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  loading={test.isPending && test.variables === e.id}
                  onClick={() => test.mutate(e.id, { onSuccess: (delivery) => setTestResult({ endpointId: e.id, delivery }) })}
                >
                  Send test
                </Button>
                <Button variant="ghost" size="sm" className="text-red-600 hover:text-red-700" onClick={() => setDeleting(e)}>
                  Delete
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
    );
  }

  let log;
  if (deliveries.isPending) log = <Loading label="Loading deliveries" />;
  else if (deliveries.isError) log = <EmptyState icon={<AlertIcon />} title="The delivery log could not be loaded" description={deliveries.error.message} />;
  else if (deliveries.data.length === 0) log = <EmptyState icon={<InboxIcon />} title="Nothing delivered yet" description="Every event sent to your endpoints shows here, with its attempts." />;
  else {
    const urlOf = new Map(endpoints.data?.map((e) => [e.id, e.url]));
    log = (
      <Table>
        <THead>
          <TH>Event</TH>
          <TH>Status</TH>
          <TH>Attempts</TH>
          <TH className="hidden md:table-cell">Endpoint</TH>
          <TH className="hidden lg:table-cell">Last attempt</TH>
        </THead>
        <TBody>
          {deliveries.data.map((d) => (
            <TR key={d.id} data-testid="delivery-row">
              <TD>
                <code className="font-mono text-xs text-zinc-800">{d.eventType}</code>
                <div className="mt-0.5 font-mono text-[11px] text-zinc-400">{d.eventId}</div>
              </TD>
              <TD>
                <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
                {d.lastStatusCode !== null && <span className="ml-2 text-xs text-zinc-500">HTTP {d.lastStatusCode}</span>}
                {d.lastError && d.status !== "succeeded" && <div className="mt-0.5 max-w-64 truncate text-xs text-red-600" title={d.lastError}>{d.lastError}</div>}
              </TD>
              <TD className="tabular-nums">{d.attempts}</TD>
              <TD className="hidden max-w-56 truncate font-mono text-xs md:table-cell">{urlOf.get(d.endpointId) ?? "—"}</TD>
              <TD className="hidden text-xs text-zinc-500 lg:table-cell">{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : "Queued"}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <div className="space-y-6">
      {test.error && <Alert>{test.error.message}</Alert>}
      <Card>
        <CardHeader
          title="Endpoints"
          description="Deliveries carry webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks); verify them with your endpoint's secret."
          actions={endpoints.data?.length ? addButton : null}
        />
        {list}
      </Card>
      <Card>
        <CardHeader title="Delivery log" description="The last 50 deliveries. Failed attempts are retried with exponential backoff, 10 attempts in all." />
        {log}
      </Card>
      <AddWebhookDialog slug={slug} open={adding} onClose={() => setAdding(false)} />
      <Dialog
        open={deleting !== null}
        onClose={() => (remove.reset(), setDeleting(null))}
        busy={remove.isPending}
        title="Delete this endpoint?"
        description="No more events are sent to it, and its delivery log is removed. This cannot be undone."
      >
        {remove.error && <Alert className="mb-4">{remove.error.message}</Alert>}
        <p className="break-all font-mono text-sm text-zinc-700">{deleting?.url}</p>
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => (remove.reset(), setDeleting(null))} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
          >
            Delete endpoint
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
