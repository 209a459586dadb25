"use client";

import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { describeLimit, QuotaMeter } from "@/components/console/quota-meter";
import { TenantStatusBadge } from "@/components/console/tenant-status-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon, BuildingIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { OperatorTenant } from "@/lib/quotas/operator-overview";
import { Flash } from "./flash";
import { useOperatorTenants } from "./operator-api";
import { QuotaDialog } from "./quota-dialog";
import { StatusDialog } from "./status-dialog";

/** The operator console's home: every tenant against its quota, with quota and suspension actions. */
export function TenantsPanel() {
  const tenants = useOperatorTenants();
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<OperatorTenant | null>(null);
  const [toggling, setToggling] = useState<OperatorTenant | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const dismiss = useCallback(() => setFlash(null), []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (tenants.data ?? []).filter((t) => !needle || t.name.toLowerCase().includes(needle) || t.slug.includes(needle));
  }, [tenants.data, filter]);

  const summary = tenants.data && {
    total: tenants.data.length,
    suspended: tenants.data.filter((t) => t.status === "suspended").length,
    withQuota: tenants.data.filter((t) => t.quota).length,
    over: tenants.data.filter((t) => t.current && t.quota && ((t.quota.requests && t.current.requests >= t.quota.requests.limit) || (t.quota.tokens && t.current.tokens >= t.quota.tokens.limit))).length,
  };

  let body;
  if (tenants.isPending) body = <TenantsSkeleton />;
  else if (tenants.isError) {
    body = (
      <EmptyState
        icon={<AlertIcon />}
        title="The tenants could not be loaded"
        description={tenants.error.message}
        action={<Button variant="secondary" size="sm" onClick={() => tenants.refetch()}>Try again</Button>}
      />
    );
  } else if (shown.length === 0) {
    body = <EmptyState icon={<BuildingIcon />} title={filter ? "No tenant matches" : "No tenants yet"} description={filter ? "Try another name or slug." : "Tenants appear here as soon as they sign up."} />;
  } else {
    body = (
      <Table>
        <THead>
          <TH>Tenant</TH>
          <TH>Status</TH>
          <TH>Quota</TH>
          <TH>This period</TH>
          <TH className="hidden lg:table-cell">Last activity</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </THead>
        <TBody>
          {shown.map((t) => (
            <TR key={t.id} data-testid="operator-tenant-row" data-slug={t.slug}>
              <TD>
                <Link href={`/operator/tenants/${t.slug}`} className="font-medium text-zinc-900 hover:text-brand-700">
                  {t.name}
                </Link>
                <div className="mt-0.5 font-mono text-xs text-zinc-500">{t.slug}</div>
              </TD>
              <TD>
                <TenantStatusBadge status={t.status} />
              </TD>
              <TD className="text-xs text-zinc-600" data-testid="tenant-quota">
                {t.quota ? (
                  <div className="space-y-0.5">
                    {[describeLimit(t.quota.requests, "requests", t.quota.period), describeLimit(t.quota.tokens, "tokens", t.quota.period)]
                      .filter(Boolean)
                      .map((line) => (
                        <div key={line}>{line}</div>
                      ))}
                  </div>
                ) : (
                  <span className="text-zinc-400">No quota</span>
                )}
              </TD>
              <TD>
                {t.current ? (
                  <div className="space-y-2">
                    <QuotaMeter label="requests" used={t.current.requests} limit={t.quota?.requests} compactNumbers />
                    {t.quota?.tokens && <QuotaMeter label="tokens" used={t.current.tokens} limit={t.quota.tokens} compactNumbers />}
                  </div>
                ) : (
                  <span className="text-xs text-zinc-400">—</span>
                )}
              </TD>
              <TD className="hidden text-xs text-zinc-500 lg:table-cell">{t.lastActivityAt ? formatDateTime(t.lastActivityAt) : "Never"}</TD>
              <TD className="text-right">
                <div className="flex justify-end gap-2">
                  <Button variant="secondary" size="sm" onClick={() => setEditing(t)} aria-label={`Set quota of ${t.name}`}>
                    Quota
                  </Button>
                  <Button
                    variant={t.status === "active" ? "ghost" : "secondary"}
                    size="sm"
                    className={t.status === "active" ? "text-red-600 hover:text-red-700" : undefined}
                    onClick={() => setToggling(t)}
                    aria-label={`${t.status === "active" ? "Suspend" : "Resume"} ${t.name}`}
                  >
                    {t.status === "active" ? "Suspend" : "Resume"}
                  </Button>
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Tenants"
        description={
          summary
            ? `${summary.total} tenants · ${summary.suspended} suspended · ${summary.withQuota} with a quota · ${summary.over} at or over it`
            : "Every tenant on the platform, against its quota."
        }
        actions={
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter by name or slug"
            aria-label="Filter tenants"
            className="block h-9 w-64 rounded-md bg-white px-3 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:outline-none focus:ring-2 focus:ring-brand-600"
          />
        }
      />
      {flash && <Flash text={flash} onDismiss={dismiss} />}
      <Card>{body}</Card>
      <QuotaDialog target={editing} onClose={() => setEditing(null)} onSaved={setFlash} />
      <StatusDialog target={toggling} onClose={() => setToggling(null)} onDone={setFlash} />
    </div>
  );
}

function TenantsSkeleton() {
  return (
    <div className="divide-y divide-zinc-100" aria-busy="true" aria-label="Loading tenants">
      <div className="bg-zinc-50/80 px-5 py-3">
        <Skeleton className="h-3 w-72" />
      </div>
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-5 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-5 w-16" />
          <Skeleton className="h-4 w-36" />
          <Skeleton className="h-3 w-40" />
          <Skeleton className="ml-auto h-8 w-32" />
        </div>
      ))}
    </div>
  );
}
