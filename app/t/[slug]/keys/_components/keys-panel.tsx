"use client";

import type { KeyScope } from "@/lib/keys/key-schemas";
import { useCallback, useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, KeyIcon, PlusIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { ApiKeyView } from "@/lib/keys/key-schemas";
import { CreateKeyDialog } from "./create-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { useKeys } from "./keys-api";
import { KeysTable } from "./keys-table";
import { Notice, type NoticeMessage } from "@/components/console/notice";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RotateKeyDialog } from "./rotate-key-dialog";

type Props = { slug: string; canWrite: boolean; /** Scopes the member's role may put on a key. */ grantableScopes: readonly KeyScope[] };

/** The API keys page: list, create, edit, rotate, revoke (all but the list for roles with keys.write). */
export function KeysPanel({ slug, canWrite, grantableScopes }: Props) {
  const keys = useKeys(slug);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ApiKeyView | null>(null);
  const [rotating, setRotating] = useState<ApiKeyView | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setNotice(null), []);
  const announce = (tone: NoticeMessage["tone"], text: string) => setNotice({ tone, text, id: Date.now() });

  const createButton = canWrite && (
    <Button onClick={() => setCreating(true)}>
      <PlusIcon className="size-4" />
      Create key
    </Button>
  );

  let body;
  if (keys.isPending) body = <KeysSkeleton />;
  else if (keys.isError) {
    body = (
      <EmptyState
        icon={<AlertIcon />}
        title="The keys could not be loaded"
        description={keys.error.message}
        action={
          <Button variant="secondary" size="sm" onClick={() => keys.refetch()}>
            Try again
          </Button>
        }
      />
    );
  } else if (keys.data.length === 0) {
    body = (
      <EmptyState
        icon={<KeyIcon />}
        title="No API keys yet"
        description={
          canWrite
            ? "Create a key for each application or pipeline that calls your models, so you can rotate or revoke one without touching the others."
            : "Developers, admins and owners of this tenant can create keys."
        }
        action={createButton}
      />
    );
  } else {
    body = <KeysTable keys={keys.data} canWrite={canWrite} onEdit={setEditing} onRotate={setRotating} onRevoke={setRevoking} />;
  }

  const active = keys.data?.filter((k) => k.status === "active").length;
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description={
          active === undefined || keys.data?.length === 0
            ? "Keys authenticate your applications at the gateway and automation on the management API."
            : `${active} active ${active === 1 ? "key" : "keys"}. Keys authenticate your applications at the gateway and automation on the management API.`
        }
        actions={keys.data?.length ? createButton : null}
      />
      {notice && <Notice key={notice.id} notice={notice} onDismiss={dismiss} testId="keys-notice" />}
      <Card>{body}</Card>

      {canWrite && (
        <>
          <CreateKeyDialog
            slug={slug}
            grantableScopes={grantableScopes}
            open={creating}
            onClose={() => setCreating(false)}
            onCreated={(key) => announce("success", `Key “${key.name}” created.`)}
          />
          <EditKeyDialog
            slug={slug}
            grantableScopes={grantableScopes}
            target={editing}
            onClose={() => setEditing(null)}
            onSaved={(key) => announce("success", `Changes to “${key.name}” saved.`)}
          />
          <RotateKeyDialog
            slug={slug}
            target={rotating}
            onClose={() => setRotating(null)}
            onRotated={(key) => announce("success", `Key “${key.name}” rotated.`)}
          />
          <RevokeKeyDialog
            slug={slug}
            target={revoking}
            onClose={() => setRevoking(null)}
            onRevoked={(key) => announce("success", `Key “${key.name}” revoked. Gateways refuse it from now on.`)}
          />
        </>
      )}
    </div>
  );
}

function KeysSkeleton() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading API keys" data-testid="keys-loading">
      <div className="bg-zinc-50/80 px-5 py-3">
        <Skeleton className="h-3 w-56" />
      </div>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 w-20" />
          <Skeleton className="h-5 w-32" />
          <Skeleton className="h-5 w-16" />
          <Skeleton className="ml-auto h-4 w-24" />
        </div>
      ))}
    </div>
  );
}
