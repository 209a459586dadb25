"use client";

import { useCallback, useMemo, useState } from "react";
import { notice, Notice, type NoticeMessage } from "@/components/console/notice";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, ModelIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { SharedModel } from "@/lib/models/shared-models";
import { GrantDialog, RevokeGrantDialog, type RevokeTarget } from "./grant-dialogs";
import { SharedModelsTable } from "./shared-models-table";
import { useSharedModels } from "./shared-models-api";

function matches(m: SharedModel, needle: string): boolean {
  return [m.name, m.owner.name, m.owner.slug, ...m.grants.map((g) => g.tenant.slug)].some((s) => s.toLowerCase().includes(needle));
}

/** The operator's view of shared models: every one with its owner, versions and grantees; grant and revoke (step-up). */
export function SharedModelsPanel() {
  const models = useSharedModels();
  const [filter, setFilter] = useState("");
  const [granting, setGranting] = useState<SharedModel | null>(null);
  const [revoking, setRevoking] = useState<RevokeTarget | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setMessage(null), []);
  const done = useCallback((text: string) => setMessage(notice("success", text)), []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (models.data ?? []).filter((m) => !needle || matches(m, needle));
  }, [models.data, filter]);
  const grantCount = models.data?.reduce((n, m) => n + m.grants.length, 0) ?? 0;

  let body;
  if (models.isPending) body = <SharedModelsSkeleton />;
  else if (models.isError) {
    body = (
      <EmptyState
        icon={<AlertIcon />}
        title="The shared models could not be loaded"
        description={models.error.message}
        action={<Button variant="secondary" size="sm" onClick={() => models.refetch()}>Try again</Button>}
      />
    );
  } else if (models.data.length === 0) {
    body = (
      <EmptyState
        icon={<ModelIcon />}
        title="No shared models yet"
        description={
          <>
            A tenant owner publishes a model as shared (a step-up edit in the console), or with{" "}
            <code className="font-mono text-xs text-zinc-700">mg model create --tenant … --visibility shared</code> or{" "}
            <code className="font-mono text-xs text-zinc-700">mg model update ID --visibility shared</code>. It then appears here to be granted.
          </>
        }
      />
    );
  } else if (shown.length === 0) {
    body = <EmptyState icon={<ModelIcon />} title="No shared model matches" description="Try another model name or tenant slug." />;
  } else {
    body = <SharedModelsTable models={shown} onGrant={setGranting} onRevoke={setRevoking} />;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Shared models"
        description={
          models.data
            ? `${models.data.length} shared ${models.data.length === 1 ? "model" : "models"} · ${grantCount} ${grantCount === 1 ? "grant" : "grants"}. Granting and revoking need MFA step-up.`
            : "Models their owners share with the platform, and the tenants they are granted to."
        }
        actions={
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter by model or tenant"
            aria-label="Filter shared models"
            className="block h-9 w-64 rounded-md bg-white px-3 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:outline-none focus:ring-2 focus:ring-brand-600"
          />
        }
      />
      {message && <Notice key={message.id} notice={message} onDismiss={dismiss} testId="operator-models-notice" />}
      <Card>{body}</Card>
      <GrantDialog model={granting} onClose={() => setGranting(null)} onDone={done} />
      <RevokeGrantDialog target={revoking} onClose={() => setRevoking(null)} onDone={done} />
    </div>
  );
}

function SharedModelsSkeleton() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading shared models" data-testid="shared-models-loading">
      <div className="bg-zinc-50/80 px-5 py-3">
        <Skeleton className="h-3 w-72" />
      </div>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 w-20" />
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-5 w-16" />
          <Skeleton className="h-5 w-32" />
          <Skeleton className="ml-auto h-8 w-20" />
        </div>
      ))}
    </div>
  );
}
