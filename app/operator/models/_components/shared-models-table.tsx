"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { SharedModel } from "@/lib/models/shared-models";
import { statusOf } from "@/components/console/model-status";
import type { RevokeTarget } from "./grant-dialogs";


type TableProps = { models: SharedModel[]; onGrant: (m: SharedModel) => void; onRevoke: (t: RevokeTarget) => void };

/** One row per shared model: owner, protocol, versions with their share of traffic, status, grantees (× revokes), Grant. */
export function SharedModelsTable({ models, onGrant, onRevoke }: TableProps) {
  return (
    <Table>
      <THead>
        <TH>Model</TH>
        <TH>Protocol</TH>
        <TH>Versions</TH>
        <TH>Status</TH>
        <TH>Granted to</TH>
        <TH>
          <span className="sr-only">Actions</span>
        </TH>
      </THead>
      <TBody>
        {models.map((m) => {
          const status = statusOf(m);
          const isPrivate = m.visibility === "private";
          return (
            <TR key={m.id} data-testid="shared-model-row" data-model={m.name}>
              <TD className="align-top">
                <div className="font-medium text-zinc-900">{m.name}</div>
                <div className="mt-0.5 text-xs text-zinc-500">by {m.owner.name}</div>
                <div className="font-mono text-xs text-zinc-500">{m.owner.slug}</div>
                {m.description && <div className="mt-0.5 max-w-64 truncate text-xs text-zinc-500">{m.description}</div>}
              </TD>
              <TD className="align-top font-mono text-xs">{m.protocol}</TD>
              <TD className="align-top text-xs">
                <ul className="space-y-0.5">
                  {m.versions.map((v) => (
                    <li key={v.label} className={v.trafficPercent ? "text-zinc-700" : "text-zinc-400"}>
                      <span className="font-mono">{v.label}</span> {v.trafficPercent ? `${v.trafficPercent}%` : "idle"}
                      {v.label === m.defaultVersion && <span className="text-zinc-400"> · default</span>}
                    </li>
                  ))}
                </ul>
              </TD>
              <TD className="align-top">
                <div className="flex flex-col items-start gap-1">
                  <Badge tone={status.tone} dot>
                    {status.label}
                  </Badge>
                  {isPrivate && <Badge tone="red">Private</Badge>}
                </div>
              </TD>
              <TD className="align-top whitespace-normal" data-testid="shared-model-grants">
                {m.grants.length === 0 ? (
                  <span className="text-xs text-zinc-400">No tenant yet</span>
                ) : (
                  <ul className="flex max-w-72 flex-wrap gap-1.5">
                    {m.grants.map((g) => (
                      <li
                        key={g.id}
                        title={`${g.tenant.name}, granted ${formatDateTime(g.createdAt)}`}
                        className="inline-flex items-center gap-1 rounded-md bg-zinc-100 py-0.5 pl-2 pr-0.5 text-xs text-zinc-700 ring-1 ring-inset ring-zinc-500/20"
                      >
                        <span className="font-mono">{g.tenant.slug}</span>
                        <button
                          type="button"
                          onClick={() => onRevoke({ model: m, tenant: g.tenant })}
                          aria-label={`Revoke ${m.name} from ${g.tenant.slug}`}
                          className="rounded p-0.5 text-zinc-400 hover:bg-zinc-200 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-600"
                        >
                          <svg viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden="true">
                            <path d="M7 7l10 10M17 7 7 17" strokeLinecap="round" />
                          </svg>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                {isPrivate && m.grants.length > 0 && <p className="mt-1 text-xs text-red-600">Inactive while the owner keeps it private</p>}
              </TD>
              <TD className="align-top text-right">
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => onGrant(m)}
                  disabled={isPrivate}
                  title={isPrivate ? "Its owner made it private: it can be granted again once it is shared" : undefined}
                  aria-label={`Grant ${m.name} to a tenant`}
                >
                  <PlusIcon className="size-4" />
                  Grant
                </Button>
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
