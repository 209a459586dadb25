import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { AuditEntry } from "@/lib/console/schemas";

type Outcome = "success" | "failure" | "denied";

export const OUTCOME_TONES: Record<Outcome, BadgeTone> = {
  success: "green",
  failure: "red",
  denied: "amber",
};

/** What a row of any audit table shows (the overview's recent activity, the audit explorer). */
export type AuditRowFields = {
  createdAt: string | Date;
  actor: { label: string };
  action: string;
  target: { type: string | null; id: string | null } | null;
  outcome: Outcome;
};

const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** The time, actor, action, target and outcome cells of one audit row. */
export function AuditEntryCells({ entry: e, tenantSlug }: { entry: AuditRowFields; tenantSlug?: string }) {
  return (
    <>
      <TD className="text-zinc-500 tabular-nums">{formatDateTime(e.createdAt)}</TD>
      {tenantSlug !== undefined && <TD className="font-medium text-zinc-900">{tenantSlug}</TD>}
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
    </>
  );
}

/** Audit entries as a table (no data fetching: the caller loads them). */
export function AuditEntriesTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table>
      <THead>
        <TH>Time</TH>
        <TH>Actor</TH>
        <TH>Action</TH>
        <TH>Target</TH>
        <TH>Outcome</TH>
      </THead>
      <TBody>
        {entries.map((e) => (
          <TR key={e.id} data-testid="audit-row">
            <AuditEntryCells entry={e} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
