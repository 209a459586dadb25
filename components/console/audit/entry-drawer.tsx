"use client";

import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { formatDateTime } from "@/lib/console/format";
import type { AuditEntryView } from "@/lib/audit/audit-schemas";
import { contextOf, diffDetails, type DiffRow } from "./details-diff";
import { OUTCOME_TONES } from "@/components/console/audit-entries-table";

const CHANGE_STYLES: Record<DiffRow["change"], string> = {
  added: "bg-emerald-50/70",
  removed: "bg-red-50/70",
  changed: "bg-amber-50/70",
  same: "",
};

function Field({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-3 gap-3 py-2">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className={cx("col-span-2 break-all text-sm text-zinc-900", mono && "font-mono text-xs")}>{children ?? "—"}</dd>
    </div>
  );
}

/**
 * One audit entry in a panel sliding in from the right: who, what, from
 * where, its place in the hash chain, and the before/after of the change.
 */
export function EntryDrawer({ entry, tenantLabel, onClose }: { entry: AuditEntryView | null; tenantLabel?: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (entry && !el.open) el.showModal();
    if (!entry && el.open) el.close();
  }, [entry]);

  const diff = entry ? diffDetails(entry.details) : null;
  const context = entry ? contextOf(entry.details) : [];
  return (
    <dialog
      ref={ref}
      aria-label={entry ? `Audit entry ${entry.seq}` : "Audit entry"}
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-xl bg-white p-0 shadow-2xl backdrop:bg-zinc-900/30"
      data-testid="audit-drawer"
    >
      {entry && (
        <div className="flex h-full flex-col">
          <header className="flex items-start justify-between gap-4 border-b border-zinc-200 px-6 py-5">
            <div className="min-w-0">
              <p className="text-xs font-medium uppercase tracking-wide text-zinc-500">Entry #{entry.seq}</p>
              <h2 className="mt-1 flex items-center gap-2 text-lg font-semibold text-zinc-900">
                <code className="font-mono">{entry.action}</code>
                <Badge tone={OUTCOME_TONES[entry.outcome]}>{entry.outcome}</Badge>
              </h2>
              <p className="mt-1 text-sm text-zinc-500">{formatDateTime(entry.createdAt)}</p>
            </div>
            <button type="button" onClick={onClose} className="rounded-md p-1.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700" aria-label="Close">
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden="true">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </header>
          <div className="flex-1 space-y-6 overflow-y-auto px-6 py-5">
            <section>
              <h3 className="text-sm font-semibold text-zinc-900">{diff && diff.length > 0 ? "Changes" : "Details"}</h3>
              {diff && diff.length > 0 ? (
                <table className="mt-2 w-full table-fixed text-sm" data-testid="audit-diff">
                  <thead>
                    <tr className="text-left text-xs text-zinc-500">
                      <th className="w-1/3 py-1.5 font-medium">Field</th>
                      <th className="py-1.5 font-medium">Before</th>
                      <th className="py-1.5 font-medium">After</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100">
                    {diff.map((row) => (
                      <tr key={row.path} className={CHANGE_STYLES[row.change]} data-change={row.change}>
                        <td className="break-all py-1.5 pr-2 font-mono text-xs text-zinc-600">{row.path}</td>
                        <td className={cx("break-all py-1.5 pr-2 font-mono text-xs", row.change === "same" ? "text-zinc-500" : "text-red-700")}>
                          {row.before ?? "—"}
                        </td>
                        <td className={cx("break-all py-1.5 font-mono text-xs", row.change === "same" ? "text-zinc-500" : "text-emerald-700")}>
                          {row.after ?? "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : context.length === 0 ? (
                <p className="mt-2 text-sm text-zinc-500">This entry records an event, not a change of values.</p>
              ) : null}
              {context.length > 0 && (
                <dl className="mt-3 divide-y divide-zinc-100">
                  {context.map(([k, v]) => (
                    <Field key={k} label={k} mono>
                      {v}
                    </Field>
                  ))}
                </dl>
              )}
            </section>
            <section>
              <h3 className="text-sm font-semibold text-zinc-900">Who and where</h3>
              <dl className="mt-1 divide-y divide-zinc-100">
                {tenantLabel && <Field label="Tenant">{tenantLabel}</Field>}
                <Field label="Actor">
                  {entry.actor.label}
                  <span className="ml-1.5 text-xs text-zinc-400">({entry.actor.type})</span>
                </Field>
                {entry.actor.id && <Field label="Actor id" mono>{entry.actor.id}</Field>}
                <Field label="Target">{entry.target ? `${entry.target.type ?? "—"} ${entry.target.id ?? ""}` : "—"}</Field>
                <Field label="IP address" mono>{entry.ip}</Field>
                <Field label="User agent">{entry.userAgent}</Field>
                <Field label="Request id" mono>{entry.requestId}</Field>
              </dl>
            </section>
            <section>
              <h3 className="text-sm font-semibold text-zinc-900">Hash chain</h3>
              <dl className="mt-1 divide-y divide-zinc-100">
                <Field label="Sequence" mono>{entry.seq}</Field>
                <Field label="Previous hash" mono>{entry.prevHash}</Field>
                <Field label="Entry hash" mono>{entry.entryHash}</Field>
              </dl>
            </section>
          </div>
        </div>
      )}
    </dialog>
  );
}
