"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import { AuditEntriesTable } from "@/components/console/audit-entries-table";
import { Button } from "@/components/ui/button";
import { AlertIcon, InboxIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/console/schemas";

const LIMIT = 50;

export function AuditLogTable({ slug }: { slug: string }) {
  const query = useQuery({
    queryKey: ["tenants", slug, "audit", LIMIT],
    queryFn: () => apiFetch<AuditEntry[]>(`/api/v1/tenants/${encodeURIComponent(slug)}/audit?limit=${LIMIT}`),
  });

  if (query.isPending) return <AuditLogSkeleton />;
  if (query.isError) {
    return (
      <EmptyState
        icon={<AlertIcon />}
        title="The audit log could not be loaded"
        description={query.error.message}
        action={
          <Button variant="secondary" size="sm" onClick={() => query.refetch()}>
            Try again
          </Button>
        }
      />
    );
  }
  if (query.data.length === 0) {
    return <EmptyState icon={<InboxIcon />} title="No audit entries yet" description="Changes to this tenant will be recorded here." />;
  }
  return (
    <>
      <AuditEntriesTable entries={query.data} />
      <p className="border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
        Showing the {query.data.length} most recent {query.data.length === 1 ? "entry" : "entries"}.
      </p>
    </>
  );
}

function AuditLogSkeleton() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading audit log" data-testid="audit-loading">
      <div className="bg-zinc-50/80 px-5 py-3">
        <Skeleton className="h-3 w-48" />
      </div>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-3.5">
          <Skeleton className="h-4 w-36" />
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="h-4 w-24" />
          <Skeleton className="ml-auto h-5 w-16" />
        </div>
      ))}
    </div>
  );
}
