"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { localToUtc, toSearchParams } from "@/components/console/audit/audit-filters";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { AlertIcon, DownloadIcon, ShieldIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { SecurityEventView } from "@/lib/audit/audit-schemas";

type Page = { events: SecurityEventView[]; nextCursor: string | null };

/** The denial codes the gateway writes to the security log (README "Gateway"). */
const CODES: Array<[string, string]> = [
  ["invalid_api_key", "Invalid or revoked key"],
  ["tenant_suspended", "Tenant suspended"],
  ["ip_not_allowed", "IP not allowed"],
  ["forbidden", "Missing scope"],
  ["model_not_found", "Model not allowed"],
  ["model_version_not_found", "Unknown model version"],
  ["rate_limited", "Rate limited"],
  ["quota_exceeded", "Quota exceeded"],
  ["validation_failed", "Input rejected"],
  ["bad_request", "Bad request"],
  ["payload_too_large", "Body too large"],
];
const LABELS = new Map(CODES);
const tone = (status: number): BadgeTone => (status === 429 ? "amber" : status >= 500 ? "neutral" : "red");

export function SecurityLog({ slug }: { slug: string }) {
  const base = `/api/v1/tenants/${encodeURIComponent(slug)}/security-events`;
  const [form, setForm] = useState<Record<string, string>>({});
  const [filters, setFilters] = useState<Record<string, string>>({});
  const set = (k: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const query = useInfiniteQuery({
    queryKey: ["tenants", slug, "security-events", filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<Page>(`${base}?${toSearchParams(filters, pageParam ? { cursor: pageParam } : {})}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const filtered = Object.values(filters).some(Boolean);
  const exportHref = (format: "jsonl" | "csv") => `${base}/export?${toSearchParams(filters, { format })}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...form, from: localToUtc(form.from ?? ""), to: localToUtc(form.to ?? "") });
  }

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3">
        <p className="text-sm font-semibold text-zinc-900">Refused requests</p>
        {!query.isError && (
          <div className="flex items-center gap-2">
            <span className="text-xs text-zinc-500">Export the filtered range:</span>
            <a href={exportHref("jsonl")} download className={buttonClasses("secondary", "sm")} data-testid="security-export-jsonl">
              <DownloadIcon className="size-4 text-zinc-500" /> JSON Lines
            </a>
            <a href={exportHref("csv")} download className={buttonClasses("secondary", "sm")} data-testid="security-export-csv">
              <DownloadIcon className="size-4 text-zinc-500" /> CSV
            </a>
          </div>
        )}
      </div>
      <form onSubmit={submit} className="grid gap-3 border-b border-zinc-100 px-5 py-4 sm:grid-cols-2 lg:grid-cols-6" aria-label="Filter the security log">
        <Select label="Reason" value={form.code ?? ""} onChange={set("code")} name="code">
          <option value="">Any</option>
          {CODES.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </Select>
        <Input label="Key id" placeholder="uuid" value={form.keyId ?? ""} onChange={set("keyId")} name="keyId" />
        <Input label="Client IP" placeholder="203.0.113.7" value={form.ip ?? ""} onChange={set("ip")} name="ip" />
        <Input label="From (UTC)" type="datetime-local" value={form.from ?? ""} onChange={set("from")} name="from" />
        <Input label="To (UTC)" type="datetime-local" value={form.to ?? ""} onChange={set("to")} name="to" />
        <div className="flex items-end gap-2">
          <Button type="submit" size="sm">
            Apply
          </Button>
          <Button type="button" variant="secondary" size="sm" onClick={() => (setForm({}), setFilters({}))}>
            Reset
          </Button>
        </div>
      </form>
      {query.isPending ? (
        <div className="space-y-3 px-5 py-5" aria-busy="true" aria-label="Loading security log">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-5 w-full" />
          ))}
        </div>
      ) : query.isError ? (
        <EmptyState icon={<AlertIcon />} title="The security log could not be loaded" description={query.error.message} />
      ) : events.length === 0 ? (
        <EmptyState
          icon={<ShieldIcon />}
          title={filtered ? "No refused requests match these filters" : "No refused requests"}
          description={filtered ? "Widen the time range or clear a filter." : "When the gateway denies a request of this tenant, it is listed here."}
        />
      ) : (
        <>
          <Table>
            <THead>
              <TH>Time</TH>
              <TH>Reason</TH>
              <TH>Request</TH>
              <TH>Key</TH>
              <TH>Client IP</TH>
              <TH>Request id</TH>
            </THead>
            <TBody>
              {events.map((e) => (
                <TR key={e.id} data-testid="security-row">
                  <TD className="text-zinc-500 tabular-nums">{formatDateTime(e.createdAt)}</TD>
                  <TD>
                    <Badge tone={tone(e.status)}>
                      {e.status} {LABELS.get(e.code) ?? e.code}
                    </Badge>
                  </TD>
                  <TD className="font-mono text-xs text-zinc-600">
                    {e.method} {e.path}
                    {e.model && <span className="ml-1.5 text-zinc-400">({e.model})</span>}
                  </TD>
                  <TD className="font-mono text-xs text-zinc-500" title={e.keyId ?? undefined}>
                    {e.keyId ? `${e.keyId.slice(0, 8)}…` : "—"}
                  </TD>
                  <TD className="font-mono text-xs text-zinc-600">{e.clientIp ?? "—"}</TD>
                  <TD className="font-mono text-xs text-zinc-400">{e.requestId}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <div className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
            <span>
              {events.length} refused {events.length === 1 ? "request" : "requests"}, newest first.
            </span>
            {query.hasNextPage && (
              <Button variant="secondary" size="sm" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                Load older
              </Button>
            )}
          </div>
        </>
      )}
    </>
  );
}
