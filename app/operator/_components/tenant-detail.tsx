"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { ClosedPeriodsTable } from "@/components/console/closed-periods-table";
import { describeLimit, QuotaMeter } from "@/components/console/quota-meter";
import { TenantStatusBadge } from "@/components/console/tenant-status-badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { AlertIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/console/format";
import { Flash } from "./flash";
import { useOperatorTenant } from "./operator-api";
import { QuotaDialog } from "./quota-dialog";
import { StatusDialog } from "./status-dialog";

/** One tenant for operators: quota, this period's use, closed periods; quota and suspension actions. */
export function TenantDetail({ slug }: { slug: string }) {
  const q = useOperatorTenant(slug);
  const [editing, setEditing] = useState(false);
  const [toggling, setToggling] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const dismiss = useCallback(() => setFlash(null), []);

  if (q.isPending) {
    return (
      <div className="space-y-6" aria-busy="true">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (q.isError) {
    return (
      <Card>
        <EmptyState icon={<AlertIcon />} title="This tenant could not be loaded" description={q.error.message} action={<Link href="/operator" className="text-sm font-medium text-brand-700">Back to tenants</Link>} />
      </Card>
    );
  }
  const { tenant, history } = q.data;
  const quota = tenant.quota;

  return (
    <div className="space-y-6">
      <div className="text-sm">
        <Link href="/operator" className="text-zinc-500 hover:text-zinc-800">
          ← Tenants
        </Link>
      </div>
      <PageHeader
        title={tenant.name}
        meta={<TenantStatusBadge status={tenant.status} />}
        description={
          <>
            <span className="font-mono">{tenant.slug}</span> · time zone {tenant.timeZone} · created {formatDate(tenant.createdAt)}
            {tenant.suspendedAt && ` · suspended ${formatDateTime(tenant.suspendedAt)}`}
          </>
        }
        actions={
          <div className="flex gap-2">
            <Link href={`/operator/audit?tenant=${encodeURIComponent(tenant.slug)}`} className={buttonClasses("secondary")}>
              Audit trail
            </Link>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              {quota ? "Change quota" : "Set quota"}
            </Button>
            <Button variant={tenant.status === "active" ? "danger" : "primary"} onClick={() => setToggling(true)}>
              {tenant.status === "active" ? "Suspend" : "Resume"}
            </Button>
          </div>
        }
      />
      {flash && <Flash text={flash} onDismiss={dismiss} />}
      <Card>
        <CardHeader
          title="Quota"
          description={
            quota
              ? [describeLimit(quota.requests, "requests", quota.period), describeLimit(quota.tokens, "tokens", quota.period)].filter(Boolean).join(" · ")
              : "No quota: the tenant is limited only by its rate limits."
          }
        />
        {tenant.current && (
          <div className="grid gap-6 px-5 py-5 sm:grid-cols-2">
            <QuotaMeter label="requests" used={tenant.current.requests} limit={quota?.requests} />
            <QuotaMeter label="tokens" used={tenant.current.tokens} limit={quota?.tokens} />
            <p className="text-xs text-zinc-500 sm:col-span-2">
              Period {tenant.current.periodKey} ({tenant.current.period}) ends {formatDateTime(tenant.current.endsAt)}.
            </p>
          </div>
        )}
      </Card>
      <Card>
        <CardHeader title="Closed periods" description="Recorded once by the quota.close_period job after each period ends." />
        <ClosedPeriodsTable history={history} />
      </Card>
      <QuotaDialog target={editing ? tenant : null} onClose={() => setEditing(false)} onSaved={setFlash} />
      <StatusDialog target={toggling ? tenant : null} onClose={() => setToggling(false)} onDone={setFlash} />
    </div>
  );
}
