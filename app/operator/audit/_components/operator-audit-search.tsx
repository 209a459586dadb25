"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { AuditFilters, toSearchParams, type AuditFilterValues } from "@/components/console/audit/audit-filters";
import { AuditTable } from "@/components/console/audit/audit-table";
import { EntryDrawer } from "@/components/console/audit/entry-drawer";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, InboxIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { OperatorAuditEntryView } from "@/lib/audit/audit-schemas";

type Page = { entries: OperatorAuditEntryView[]; nextCursor: string | null };

/** `tenant`: a slug to start with (the tenant page's "Audit trail" link). */
export function OperatorAuditSearch({ tenant }: { tenant?: string }) {
  const initial: Record<string, string> = tenant ? { tenant } : {};
  const [filters, setFilters] = useState<AuditFilterValues>(initial);
  const [open, setOpen] = useState<OperatorAuditEntryView | null>(null);
  const query = useInfiniteQuery({
    queryKey: ["operator", "audit", filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => apiFetch<Page>(`/api/v1/operator/audit?${toSearchParams(filters, pageParam ? { cursor: pageParam } : {})}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = query.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Card>
      <AuditFilters onApply={setFilters} withTenant initial={initial} />
      <div className="px-5 pt-3">
        <Alert tone="info">Searches across tenants are recorded in the platform audit log as <code>operator.read</code>.</Alert>
      </div>
      {query.isPending ? (
        <div className="space-y-3 px-5 py-5" aria-busy="true" aria-label="Loading audit entries">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-5 w-full" />
          ))}
        </div>
      ) : query.isError ? (
        <EmptyState icon={<AlertIcon />} title="The search failed" description={query.error.message} />
      ) : entries.length === 0 ? (
        <EmptyState icon={<InboxIcon />} title="No entries match" description="Widen the time range, or clear the tenant or a filter." />
      ) : (
        <>
          <div className="mt-3">
            <AuditTable entries={entries} onOpen={setOpen} showTenant />
          </div>
          <div className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
            <span>
              {entries.length} {entries.length === 1 ? "entry" : "entries"}, newest first.
            </span>
            {query.hasNextPage && (
              <Button variant="secondary" size="sm" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                Load older entries
              </Button>
            )}
          </div>
        </>
      )}
      <EntryDrawer entry={open} tenantLabel={open ? `${open.tenant.name} (${open.tenant.slug})` : undefined} onClose={() => setOpen(null)} />
    </Card>
  );
}
