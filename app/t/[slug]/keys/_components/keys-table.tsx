"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/console/format";
import type { ApiKeyView } from "@/lib/keys/key-schemas";
import { formatRateLimit, formatRelative, SCOPE_OPTIONS } from "./key-options";

const SCOPE_ORDER = SCOPE_OPTIONS.map((o) => o.scope as string);
const sortScopes = (scopes: string[]) => [...scopes].sort((a, b) => SCOPE_ORDER.indexOf(a) - SCOPE_ORDER.indexOf(b));

const STATUS: Record<ApiKeyView["status"], { tone: BadgeTone; label: string }> = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "amber", label: "Expired" },
  revoked: { tone: "red", label: "Revoked" },
};

/** What limits the key beyond its scopes, in a few words. */
function restrictions(key: ApiKeyView): string[] {
  const out: string[] = [];
  if (key.models.length) out.push(key.models.length === 1 ? `model ${key.models[0]}` : `${key.models.length} models`);
  if (key.ips.length) out.push(key.ips.length === 1 ? key.ips[0]! : `${key.ips.length} IP ranges`);
  if (key.rateLimit) out.push(formatRateLimit(key.rateLimit));
  if (key.expiresAt && key.status === "active") out.push(`expires ${formatDate(key.expiresAt)}`);
  return out;
}

type Props = {
  keys: ApiKeyView[];
  canWrite: boolean;
  onRotate: (key: ApiKeyView) => void;
  onRevoke: (key: ApiKeyView) => void;
};

export function KeysTable({ keys, canWrite, onRotate, onRevoke }: Props) {
  return (
    <Table>
      <THead>
        <TH>Key</TH>
        <TH>Scopes</TH>
        <TH>Status</TH>
        <TH className="hidden md:table-cell">Last used</TH>
        <TH className="hidden lg:table-cell">Created</TH>
        {canWrite && (
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        )}
      </THead>
      <TBody>
        {keys.map((key) => {
          const notes = restrictions(key);
          const status = STATUS[key.status];
          return (
            <TR key={key.id} data-testid="key-row" className={key.status === "revoked" ? "text-zinc-400" : undefined}>
              <TD>
                <div className={cx("max-w-64 truncate font-medium", key.status === "revoked" ? "text-zinc-500" : "text-zinc-900")} title={key.name}>
                  {key.name}
                </div>
                <div className="mt-1 flex max-w-72 items-center gap-1.5 text-xs text-zinc-500">
                  <code className="shrink-0 rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-700" title="The key's first characters">
                    {key.displayPrefix}…
                  </code>
                  {key.generation > 1 && (
                    <span className="shrink-0" title="This key's secret has been rotated">
                      gen {key.generation}
                    </span>
                  )}
                  {notes.length > 0 && (
                    <span className="truncate" title={notes.join(" · ")}>
                      · {notes.join(" · ")}
                    </span>
                  )}
                </div>
              </TD>
              <TD className="whitespace-normal">
                <div className="flex min-w-40 flex-wrap gap-1">
                  {sortScopes(key.scopes).map((s) => (
                    <Badge key={s} tone={s === "inference" ? "brand" : "neutral"}>
                      {s}
                    </Badge>
                  ))}
                </div>
              </TD>
              <TD>
                <Badge tone={status.tone} dot>
                  {status.label}
                </Badge>
              </TD>
              <TD className="hidden text-zinc-500 tabular-nums md:table-cell" title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>
                {key.lastUsedAt ? formatRelative(key.lastUsedAt) : "Never"}
              </TD>
              <TD className="hidden text-zinc-500 tabular-nums lg:table-cell" title={formatDateTime(key.createdAt)}>
                {formatDate(key.createdAt)}
              </TD>
              {canWrite && (
                <TD className="text-right">
                  {key.status === "revoked" ? null : (
                    <div className="flex justify-end gap-1">
                      <Button variant="ghost" size="sm" onClick={() => onRotate(key)} aria-label={`Rotate ${key.name}`}>
                        Rotate
                      </Button>
                      <button
                        type="button"
                        onClick={() => onRevoke(key)}
                        aria-label={`Revoke ${key.name}`}
                        className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-600 transition-colors hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
                      >
                        Revoke
                      </button>
                    </div>
                  )}
                </TD>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
