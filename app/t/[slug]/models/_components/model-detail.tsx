"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { AlertIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { ModelVersionView, ModelView } from "@/lib/models/model-schemas";
import { ModelSettingsCard } from "./model-settings-card";
import { protocolLabel, statusOf } from "./model-format";
import { useDeleteModel, useModel } from "./models-api";
import { notice, Notice, type NoticeMessage } from "@/components/console/notice";
import { SplitCard } from "./split-card";
import { VersionDialog } from "./version-dialog";
import { VersionsCard } from "./versions-card";

type Props = { slug: string; id: string; canWrite: boolean };

/** One model: settings, versions, canary split, deletion — or, for a granted model, what the grantee may know. */
export function ModelDetail({ slug, id, canWrite }: Props) {
  const model = useModel(slug, id);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setMessage(null), []);
  const say = (tone: "success" | "error", text: string) => setMessage(notice(tone, text));
  const [editing, setEditing] = useState<ModelVersionView | "new" | null>(null);
  const [deleting, setDeleting] = useState(false);

  const back = (
    <Link href={`/t/${slug}/models`} className="text-sm font-medium text-zinc-500 hover:text-zinc-900">
      ← Models
    </Link>
  );

  if (model.isPending) {
    return (
      <div className="space-y-6" aria-busy="true" aria-label="Loading model">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (model.isError) {
    return (
      <div className="space-y-6">
        {back}
        <Card>
          <EmptyState icon={<AlertIcon />} title={model.error.message} description="The model may have been deleted, or it is not shared with this tenant any more." />
        </Card>
      </div>
    );
  }

  const m = model.data;
  const status = statusOf(m);
  const granted = m.access === "granted";
  const writable = canWrite && !granted;

  return (
    <div className="space-y-6">
      {back}
      <PageHeader
        title={m.name}
        description={m.description || `${protocolLabel(m.protocol)} model`}
        meta={
          <div className="flex items-center gap-2">
            <Badge tone={status.tone} dot>
              {status.label}
            </Badge>
            <Badge>{protocolLabel(m.protocol)}</Badge>
            {granted && <Badge tone="brand">Shared by {m.sharedBy?.name} · read-only</Badge>}
          </div>
        }
      />
      {message && <Notice key={message.id} notice={message} onDismiss={dismiss} testId="models-notice" />}

      {granted ? (
        <GrantedModelCard model={m} />
      ) : (
        <>
          {writable && <ModelSettingsCard key={m.updatedAt} slug={slug} model={m} onSaved={(t) => say("success", t)} />}
          <VersionsCard slug={slug} model={m} canWrite={writable} onAdd={() => setEditing("new")} onEdit={setEditing} onMessage={say} />
          <SplitCard key={`${m.defaultVersion}-${m.versions.length}`} slug={slug} model={m} canWrite={writable} onMessage={say} />
          {writable && (
            <Card>
              <CardHeader
                title="Delete model"
                description="Removes the model, its versions and credentials, and every grant of it. Keys that name it get 404 model_not_found."
                actions={
                  <Button variant="danger" size="sm" onClick={() => setDeleting(true)}>
                    Delete model
                  </Button>
                }
              />
            </Card>
          )}
          {writable && (
            <VersionDialog
              slug={slug}
              model={m}
              version={editing === "new" ? null : editing}
              open={editing !== null}
              onClose={() => setEditing(null)}
              onSaved={(t) => say("success", t)}
            />
          )}
          {writable && <DeleteModelDialog slug={slug} model={m} open={deleting} onClose={() => setDeleting(false)} />}
        </>
      )}
    </div>
  );
}

function GrantedModelCard({ model }: { model: ModelView }) {
  return (
    <Card>
      <CardHeader title="Shared model" description="The platform shares this model with your tenant. Its owner runs and configures it." />
      <dl className="grid gap-4 px-5 py-5 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-zinc-500">Shared by</dt>
          <dd className="mt-1 font-medium text-zinc-900">{model.sharedBy?.name}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Protocol</dt>
          <dd className="mt-1 font-medium text-zinc-900">{protocolLabel(model.protocol)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Use it</dt>
          <dd className="mt-1 text-zinc-700">
            Call it as <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{model.name}</code>; add it to a key&apos;s model list to restrict that key to it. Your rate limits and quotas apply.
          </dd>
        </div>
      </dl>
    </Card>
  );
}

function DeleteModelDialog({ slug, model, open, onClose }: { slug: string; model: ModelView; open: boolean; onClose: () => void }) {
  const remove = useDeleteModel(slug);
  const router = useRouter();
  return (
    <Dialog
      open={open}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      busy={remove.isPending}
      title={`Delete “${model.name}”?`}
      description="Gateways stop routing to it within a second. This cannot be undone."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate(model.id, { onSuccess: () => router.push(`/t/${slug}/models`) })}>
            Delete model
          </Button>
        </>
      }
    >
      {remove.error && <p className="text-sm text-red-600">{remove.error.message}</p>}
    </Dialog>
  );
}
