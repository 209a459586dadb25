"use client";

import { AuditEntryCells } from "@/components/console/audit-entries-table";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuditEntryView } from "@/lib/audit/audit-schemas";

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
            <AuditEntryCells entry={e} tenantSlug={showTenant ? (e.tenant?.slug ?? "") : undefined} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
