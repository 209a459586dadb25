"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, ModelIcon, PlusIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ModelView } from "@/lib/models/model-schemas";
import { CreateModelDialog } from "./create-model-dialog";
import { protocolLabel, statusOf } from "./model-format";
import { useModels, useUpdateModel } from "./models-api";
import { notice, Notice, type NoticeMessage } from "@/components/console/notice";

type Props = { slug: string; canWrite: boolean };

/** The Models page: the tenant's models and the shared ones granted to it. */
export function ModelsPanel({ slug, canWrite }: Props) {
  const models = useModels(slug);
  const update = useUpdateModel(slug);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setMessage(null), []);

  const toggle = (model: ModelView) =>
    update.mutate(
      { id: model.id, input: { enabled: !model.enabled } },
      {
        onSuccess: (m) => setMessage(notice("success", `“${m.name}” ${m.enabled ? "enabled" : "disabled"}.`)),
        onError: (err) => setMessage(notice("error", err.message)),
      },
    );

  const createButton = canWrite && (
    <Button onClick={() => setCreating(true)}>
      <PlusIcon className="size-4" />
      Register model
    </Button>
  );

  let body;
  if (models.isPending) body = <ModelsSkeleton />;
  else if (models.isError) {
    body = (
      <EmptyState
        icon={<AlertIcon />}
        title="The models could not be loaded"
        description={models.error.message}
        action={
          <Button variant="secondary" size="sm" onClick={() => models.refetch()}>
            Try again
          </Button>
        }
      />
    );
  } else if (models.data.length === 0) {
    body = (
      <EmptyState
        icon={<ModelIcon />}
        title="No models yet"
        description={
          canWrite
            ? "Register a model backend — OpenAI-compatible, KServe v2, TorchServe or TF Serving — and your API keys can call it through the gateway."
            : "Admins and owners of this tenant register models."
        }
        action={createButton}
      />
    );
  } else {
    body = <ModelsTable slug={slug} models={models.data} canWrite={canWrite} onToggle={toggle} />;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Models"
        description="The backends your API keys may call. Changing where a model's traffic goes needs a fresh MFA verification."
        actions={models.data?.length ? createButton : null}
      />
      {message && <Notice key={message.id} notice={message} onDismiss={dismiss} testId="models-notice" />}
      <Card>{body}</Card>
      {canWrite && (
        <CreateModelDialog slug={slug} open={creating} onClose={() => setCreating(false)} onCreated={(m) => setMessage(notice("success", `Model “${m.name}” registered.`))} />
      )}
    </div>
  );
}

function ModelsTable({ slug, models, canWrite, onToggle }: { slug: string; models: ModelView[]; canWrite: boolean; onToggle: (m: ModelView) => void }) {
  return (
    <Table>
      <THead>
        <TH>Model</TH>
        <TH>Protocol</TH>
        <TH>Traffic</TH>
        <TH>Status</TH>
        {canWrite && (
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        )}
      </THead>
      <TBody>
        {models.map((m) => {
          const status = statusOf(m);
          const granted = m.access === "granted";
          return (
            <TR key={m.id} data-testid="model-row">
              <TD>
                <div className="flex items-center gap-2">
                  <Link href={`/t/${slug}/models/${m.id}`} className="font-medium text-zinc-900 hover:text-brand-700 hover:underline">
                    {m.name}
                  </Link>
                  {granted && <Badge tone="brand">Shared by {m.sharedBy?.name}</Badge>}
                  {!granted && m.visibility === "shared" && <Badge>Shared</Badge>}
                </div>
                {m.description && <div className="mt-0.5 max-w-80 truncate text-xs text-zinc-500">{m.description}</div>}
              </TD>
              <TD>{protocolLabel(m.protocol)}</TD>
              <TD className="text-xs">
                {granted
                  ? <span className="text-zinc-500">Served by the owner</span>
                  : m.split
                    ? m.split.versions.map((s) => `${s.version} ${s.percent}%`).join(" · ")
                    : <span>{m.defaultVersion} · 100%</span>}
              </TD>
              <TD>
                <Badge tone={status.tone} dot>
                  {status.label}
                </Badge>
              </TD>
              {canWrite && (
                <TD className="text-right">
                  {granted ? (
                    <span className="text-xs text-zinc-400">Read-only</span>
                  ) : (
                    <Button variant="ghost" size="sm" onClick={() => onToggle(m)} aria-label={`${m.enabled ? "Disable" : "Enable"} ${m.name}`}>
                      {m.enabled ? "Disable" : "Enable"}
                    </Button>
                  )}
                </TD>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}

function ModelsSkeleton() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading models" data-testid="models-loading">
      <div className="bg-zinc-50/80 px-5 py-3">
        <Skeleton className="h-3 w-56" />
      </div>
      {Array.from({ length: 3 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-5 w-16" />
        </div>
      ))}
    </div>
  );
}
