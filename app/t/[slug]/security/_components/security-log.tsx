"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { localToUtc, toSearchParams } from "@/components/console/audit/audit-filters";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Button, buttonClasses } from "@/components/ui/button";
import { AlertIcon, DownloadIcon, ShieldIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { SecurityEventSummary, SecurityEventView } from "@/lib/audit/audit-schemas";
import type { KeyOption } from "@/lib/keys/list-keys";
import { SecurityChart } from "./security-chart";
import { codeLabel, SECURITY_CODES } from "./security-codes";

type Page = { events: SecurityEventView[]; nextCursor: string | null };

const tone = (status: number): BadgeTone => (status === 429 ? "amber" : status >= 500 ? "neutral" : "red");

export function SecurityLog({ slug, keys }: { slug: string; keys: KeyOption[] }) {
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
  const summary = useQuery({
    queryKey: ["tenants", slug, "security-events", "summary", filters],
    queryFn: () => apiFetch<SecurityEventSummary>(`${base}/summary?${toSearchParams(filters)}`),
  });
  const keyNames = new Map(keys.map((k) => [k.id, k.revoked ? `${k.name} (revoked)` : k.name]));
  const keyName = (id: string) => keyNames.get(id) ?? `${id.slice(0, 8)}…`;
  /** Narrows the page to one key or address (from the chart's lists). */
  const narrow = (k: "keyId" | "ip", value: string) => {
    setForm((f) => ({ ...f, [k]: value }));
    setFilters((f) => ({ ...f, [k]: value }));
  };
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const filtered = Object.values(filters).some(Boolean);
  const exportHref = (format: "jsonl" | "csv") => `${base}/export?${toSearchParams(filters, { format })}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...form, from: localToUtc(form.from ?? ""), to: localToUtc(form.to ?? "") });
  }

  return (
    <>
      <Card>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3">
        <p className="text-sm font-semibold text-zinc-900">Filters</p>
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
            {SECURITY_CODES.map(({ code, label }) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </Select>
        <Select label="API key" value={form.keyId ?? ""} onChange={set("keyId")} name="keyId">
          <option value="">Any key</option>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {keyNames.get(k.id)}
            </option>
          ))}
          {form.keyId && !keyNames.has(form.keyId) && <option value={form.keyId}>{keyName(form.keyId)}</option>}
        </Select>
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
      </Card>
      <Card data-testid="security-summary">
        <CardHeader
          title="Refused requests over time"
          description={
            summary.data
              ? `${summary.data.total.toLocaleString("en-US")} refused ${filters.from || filters.to ? "in this range" : "in the last 24 hours"}, per ${summary.data.granularity} (UTC), by reason.`
              : "Per hour or day (UTC), by reason."
          }
        />
        {summary.isPending ? (
          <div className="px-5 py-5" aria-busy="true" aria-label="Loading the chart">
            <Skeleton className="h-52 w-full" />
          </div>
        ) : summary.isError ? (
          <EmptyState icon={<AlertIcon />} title="The chart could not be loaded" description={summary.error.message} />
        ) : summary.data.total === 0 ? (
          <EmptyState
            icon={<ShieldIcon />}
            title={filters.from || filters.to ? "Nothing refused in this range" : "Nothing refused in the last 24 hours"}
            description="Older denials, if any, are in the table below."
          />
        ) : (
          <div className="grid gap-2 lg:grid-cols-[1fr_16rem]">
            <SecurityChart summary={summary.data} />
            <div className="space-y-5 border-t border-zinc-100 px-5 py-4 lg:border-l lg:border-t-0">
              <TopList
                title="Addresses refused most"
                rows={summary.data.topIps.map((r) => ({ value: r.ip, label: r.ip, count: r.count, mono: true }))}
                onPick={(ip) => narrow("ip", ip)}
              />
              <TopList
                title="Keys refused most"
                rows={summary.data.topKeys.map((r) => ({ value: r.keyId, label: keyName(r.keyId), count: r.count }))}
                onPick={(id) => narrow("keyId", id)}
              />
            </div>
          </div>
        )}
      </Card>
      <Card>
      <div className="border-b border-zinc-100 px-5 py-3">
        <p className="text-sm font-semibold text-zinc-900">Refused requests</p>
      </div>
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
                      {e.status} {codeLabel(e.code)}
                    </Badge>
                  </TD>
                  <TD className="font-mono text-xs text-zinc-600">
                    {e.method} {e.path}
                    {e.model && <span className="ml-1.5 text-zinc-400">({e.model})</span>}
                  </TD>
                  <TD className="text-xs text-zinc-700" title={e.keyId ?? undefined}>
                    {e.keyId ? keyName(e.keyId) : <span className="text-zinc-400">—</span>}
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
      </Card>
    </>
  );
}

function TopList({ title, rows, onPick }: { title: string; rows: { value: string; label: string; count: number; mono?: boolean }[]; onPick: (value: string) => void }) {
  return (
    <div>
      <p className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</p>
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-400">None</p>
      ) : (
        <ul className="mt-2 space-y-1">
          {rows.map((r) => (
            <li key={r.value} className="flex items-center justify-between gap-3 text-sm">
              <button
                type="button"
                onClick={() => onPick(r.value)}
                title="Show only these"
                className={`min-w-0 truncate text-left text-brand-700 hover:underline ${r.mono ? "font-mono text-xs" : ""}`}
              >
                {r.label}
              </button>
              <span className="shrink-0 tabular-nums text-zinc-600">{r.count.toLocaleString("en-US")}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
