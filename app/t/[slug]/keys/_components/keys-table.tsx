"use client";

import { Fragment } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/console/format";
import type { ApiKeyView } from "@/lib/keys/key-schemas";
import { describeRateLimit, formatRateLimit } from "@/components/console/rate-limit";
import { formatRelative, SCOPE_OPTIONS } from "./key-options";

const SCOPE_ORDER = SCOPE_OPTIONS.map((o) => o.scope as string);
const sortScopes = (scopes: string[]) => [...scopes].sort((a, b) => SCOPE_ORDER.indexOf(a) - SCOPE_ORDER.indexOf(b));

const STATUS: Record<ApiKeyView["status"], { tone: BadgeTone; label: string }> = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "amber", label: "Expired" },
  revoked: { tone: "red", label: "Revoked" },
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What limits the key beyond its scopes: a few words each, the whole list on hover. */
function restrictionsOf(key: ApiKeyView): Array<{ text: string; detail: string }> {
  const out: Array<{ text: string; detail: string }> = [];
  if (key.models.length) {
    out.push({
      text: key.models.length === 1 ? `model ${key.models[0]}` : plural(key.models.length, "model", "models"),
      detail: `Only these models: ${key.models.join(", ")}`,
    });
  }
  if (key.ips.length) {
    out.push({
      text: key.ips.length === 1 ? `IP ${key.ips[0]}` : plural(key.ips.length, "IP range", "IP ranges"),
      detail: `Only from ${key.ips.join(", ")}`,
    });
  }
  if (key.rateLimit) {
    out.push({ text: formatRateLimit(key.rateLimit), detail: `At most ${describeRateLimit(key.rateLimit)} with this key` });
  }
  if (key.expiresAt && key.status === "active") {
    out.push({ text: `expires ${formatDate(key.expiresAt)}`, detail: `Stops working at ${formatDateTime(key.expiresAt)}` });
  }
  // Read as a phrase: "Model echo · IP 203.0.113.0/24 · 100 / min".
  if (out[0]) out[0].text = out[0].text.charAt(0).toUpperCase() + out[0].text.slice(1);
  return out;
}

/** "IP 203.0.113.0/24 · 100 / min · expires 31 Dec 2026", or "No restrictions". */
function Restrictions({ items, className }: { items: ReturnType<typeof restrictionsOf>; className: string }) {
  return (
    // Wraps between restrictions, never inside one ("IP" away from its range) nor before a "·".
    <p className={cx("text-xs whitespace-normal text-zinc-500", className)} data-testid="key-restrictions">
      {items.length === 0 ? (
        <span className="text-zinc-400">No restrictions</span>
      ) : (
        items.map((r, i) => (
          <Fragment key={r.text}>
            <span title={r.detail} className="whitespace-nowrap">
              {r.text}
              {i < items.length - 1 && " ·"}
            </span>
            {i < items.length - 1 && " "}
          </Fragment>
        ))
      )}
    </p>
  );
}

type Props = {
  keys: ApiKeyView[];
  canWrite: boolean;
  onEdit: (key: ApiKeyView) => void;
  onRotate: (key: ApiKeyView) => void;
  onRevoke: (key: ApiKeyView) => void;
};

export function KeysTable({ keys, canWrite, onEdit, onRotate, onRevoke }: Props) {
  return (
    <Table>
      <THead>
        <TH>Key</TH>
        <TH>Access</TH>
        <TH>Status</TH>
        <TH className="hidden whitespace-nowrap md:table-cell">Last used</TH>
        <TH className="hidden lg:table-cell">Created</TH>
        {canWrite && (
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        )}
      </THead>
      <TBody>
        {keys.map((key) => {
          const restrictions = restrictionsOf(key);
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
                </div>
                {/* Narrow screens: beside the name, where it shows without scrolling the table sideways. */}
                <Restrictions items={restrictions} className="mt-1 max-w-64 sm:hidden" />
              </TD>
              <TD className="whitespace-normal">
                <div className="flex min-w-40 flex-wrap gap-1">
                  {sortScopes(key.scopes).map((s) => (
                    <Badge key={s} tone={s === "inference" ? "brand" : "neutral"}>
                      {s}
                    </Badge>
                  ))}
                </div>
                <Restrictions items={restrictions} className="mt-1.5 hidden min-w-40 sm:block" />
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
                      {key.status === "active" && (
                        <Button variant="ghost" size="sm" onClick={() => onEdit(key)} aria-label={`Edit ${key.name}`}>
                          Edit
                        </Button>
                      )}
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
