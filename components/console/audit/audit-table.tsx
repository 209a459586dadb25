"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { AuditEntryView } from "@/lib/audit/audit-schemas";

export const OUTCOME_TONES: Record<AuditEntryView["outcome"], BadgeTone> = {
  success: "green",
  failure: "red",
  denied: "amber",
};

const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** Audit entries as rows; a row opens the entry (`onOpen`). The operator's view adds a tenant column. */
export function AuditTable<E extends AuditEntryView & { tenant?: { slug: string } }>({
  entries,
  onOpen,
  showTenant = false,
}: {
  entries: E[];
  onOpen: (entry: E) => void;
  showTenant?: boolean;
}) {
  return (
    <Table>
      <THead>
        <TH className="w-16">#</TH>
        <TH>Time</TH>
        {showTenant && <TH>Tenant</TH>}
        <TH>Actor</TH>
        <TH>Action</TH>
        <TH>Target</TH>
        <TH>Outcome</TH>
      </THead>
      <TBody>
        {entries.map((e) => (
          <TR
            key={e.id}
            data-testid="audit-row"
            tabIndex={0}
            role="button"
            aria-label={`Open entry ${e.seq}: ${e.action}`}
            onClick={() => onOpen(e)}
            onKeyDown={(ev) => (ev.key === "Enter" || ev.key === " ") && (ev.preventDefault(), onOpen(e))}
            className="cursor-pointer hover:bg-zinc-50 focus:bg-brand-50/40 focus:outline-none"
          >
            <TD className="font-mono text-xs text-zinc-400 tabular-nums">{e.seq}</TD>
            <TD className="text-zinc-500 tabular-nums">{formatDateTime(e.createdAt)}</TD>
            {showTenant && <TD className="font-medium text-zinc-900">{e.tenant?.slug}</TD>}
            <TD className="text-zinc-900">{e.actor.label}</TD>
            <TD>
              <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{e.action}</code>
            </TD>
            <TD className="text-zinc-500">
              {e.target ? (
                <>
                  {e.target.type}
                  {e.target.id && (
                    <span className="ml-1.5 font-mono text-xs text-zinc-400" title={e.target.id}>
                      {shortId(e.target.id)}
                    </span>
                  )}
                </>
              ) : (
                "—"
              )}
            </TD>
            <TD>
              <Badge tone={OUTCOME_TONES[e.outcome]}>{e.outcome}</Badge>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
