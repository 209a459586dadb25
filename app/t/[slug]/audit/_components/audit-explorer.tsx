"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { AuditFilters, toSearchParams, type AuditFilterValues } from "@/components/console/audit/audit-filters";
import { AuditTable } from "@/components/console/audit/audit-table";
import { EntryDrawer } from "@/components/console/audit/entry-drawer";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, DownloadIcon, InboxIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { AuditEntryView } from "@/lib/audit/audit-schemas";
import { VerifyChain } from "./verify-chain";

type Page = { entries: AuditEntryView[]; nextCursor: number | null };

export function AuditExplorer({ slug }: { slug: string }) {
  const base = `/api/v1/tenants/${encodeURIComponent(slug)}/audit`;
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const [open, setOpen] = useState<AuditEntryView | null>(null);
  const query = useInfiniteQuery({
    queryKey: ["tenants", slug, "audit", filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<Page>(`${base}?${toSearchParams(filters, { limit: "50", ...(pageParam ? { cursor: String(pageParam) } : {}) })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = query.data?.pages.flatMap((p) => p.entries) ?? [];
  const exportHref = (format: "jsonl" | "csv") => `${base}/export?${toSearchParams(filters, { format })}`;

  return (
    <div className="space-y-6">
      <VerifyChain slug={slug} />
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3">
          <p className="text-sm font-semibold text-zinc-900">Entries</p>
          <div className="flex items-center gap-2">
            <span className="text-xs text-zinc-500">Export the filtered range:</span>
            <a href={exportHref("jsonl")} download className="inline-flex h-8 items-center gap-1.5 rounded-md bg-white px-3 text-sm font-medium text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50" data-testid="export-jsonl">
              <DownloadIcon className="size-4 text-zinc-500" /> JSON Lines
            </a>
            <a href={exportHref("csv")} download className="inline-flex h-8 items-center gap-1.5 rounded-md bg-white px-3 text-sm font-medium text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50" data-testid="export-csv">
              <DownloadIcon className="size-4 text-zinc-500" /> CSV
            </a>
          </div>
        </div>
        <AuditFilters onApply={setFilters} />
        {query.isPending ? (
          <LoadingRows />
        ) : query.isError ? (
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
        ) : entries.length === 0 ? (
          <EmptyState
            icon={<InboxIcon />}
            title={Object.values(filters).some(Boolean) ? "No entries match these filters" : "No audit entries yet"}
            description={Object.values(filters).some(Boolean) ? "Widen the time range or clear a filter." : "Changes to this tenant will be recorded here."}
          />
        ) : (
          <>
            <AuditTable entries={entries} onOpen={setOpen} />
            <div className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
              <span>
                {entries.length} {entries.length === 1 ? "entry" : "entries"} shown, newest first. Select one for its details.
              </span>
              {query.hasNextPage && (
                <Button variant="secondary" size="sm" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                  Load older entries
                </Button>
              )}
            </div>
          </>
        )}
      </Card>
      <EntryDrawer entry={open} onClose={() => setOpen(null)} />
    </div>
  );
}

function LoadingRows() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading audit log" data-testid="audit-loading">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-3.5">
          <Skeleton className="h-4 w-8" />
          <Skeleton className="h-4 w-36" />
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="ml-auto h-5 w-16" />
        </div>
      ))}
    </div>
  );
}
