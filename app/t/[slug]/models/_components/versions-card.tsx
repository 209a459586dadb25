"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { PlusIcon } from "@/components/ui/icons";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ModelVersionView, ModelView } from "@/lib/models/model-schemas";
import { useDeleteVersion, useUpdateModel } from "./models-api";

type Props = {
  slug: string;
  model: ModelView;
  canWrite: boolean;
  onAdd: () => void;
  onEdit: (v: ModelVersionView) => void;
  onMessage: (tone: "success" | "error", text: string) => void;
};

/** The model's versions: backend, credential (kind only), limits and the share of traffic each gets now. */
export function VersionsCard({ slug, model, canWrite, onAdd, onEdit, onMessage }: Props) {
  const update = useUpdateModel(slug);
  const remove = useDeleteVersion(slug);
  const makeDefault = (v: ModelVersionView) =>
    update.mutate(
      { id: model.id, input: { defaultVersion: v.label } },
      { onSuccess: () => onMessage("success", `${v.label} is now the default version.`), onError: (e) => onMessage("error", e.message) },
    );
  const del = (v: ModelVersionView) =>
    remove.mutate(
      { id: model.id, versionId: v.id },
      { onSuccess: () => onMessage("success", `Version ${v.label} deleted.`), onError: (e) => onMessage("error", e.message) },
    );
  return (
    <Card>
      <CardHeader
        title="Versions"
        description="Each version is a backend. The default serves all traffic, or the rest of a canary split."
        actions={
          canWrite && (
            <Button variant="secondary" size="sm" onClick={onAdd}>
              <PlusIcon className="size-4" />
              Add version
            </Button>
          )
        }
      />
      <Table>
        <THead>
          <TH>Version</TH>
          <TH>Backend</TH>
          <TH className="hidden md:table-cell">Credential</TH>
          <TH className="hidden lg:table-cell">Limits</TH>
          <TH>Traffic</TH>
          {canWrite && (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          )}
        </THead>
        <TBody>
          {model.versions.map((v) => {
            const isDefault = v.label === model.defaultVersion;
            return (
              <TR key={v.id} data-testid="version-row" data-version={v.label}>
                <TD>
                  <div className="flex items-center gap-2 font-medium text-zinc-900">
                    {v.label}
                    {isDefault && <Badge tone="brand">Default</Badge>}
                    {!isDefault && v.trafficPercent > 0 && <Badge tone="amber">Canary</Badge>}
                  </div>
                </TD>
                <TD>
                  <code className="block max-w-72 truncate font-mono text-xs text-zinc-700" title={v.url}>
                    {v.url}
                  </code>
                </TD>
                <TD className="hidden text-xs md:table-cell">
                  {v.credential ? (v.credential.kind === "bearer" ? "Bearer token · set" : `${v.credential.header} · set`) : <span className="text-zinc-400">None</span>}
                </TD>
                <TD className="hidden text-xs lg:table-cell">
                  {v.timeoutMs / 1000} s · {v.maxConcurrency} concurrent
                </TD>
                <TD>
                  <div className="flex items-center gap-2">
                    <div className="h-1.5 w-16 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
                      <div className="h-full rounded-full bg-brand-500" style={{ width: `${v.trafficPercent}%` }} />
                    </div>
                    <span className="text-xs tabular-nums text-zinc-600">{v.trafficPercent}%</span>
                  </div>
                </TD>
                {canWrite && (
                  <TD className="text-right">
                    <div className="flex justify-end gap-1">
                      <Button variant="ghost" size="sm" onClick={() => onEdit(v)} aria-label={`Edit ${v.label}`}>
                        Edit
                      </Button>
                      {!isDefault && (
                        <Button variant="ghost" size="sm" onClick={() => makeDefault(v)} disabled={update.isPending} aria-label={`Make ${v.label} the default`}>
                          Make default
                        </Button>
                      )}
                      {v.trafficPercent === 0 && (
                        <Button variant="ghost" size="sm" onClick={() => del(v)} disabled={remove.isPending} aria-label={`Delete ${v.label}`}>
                          Delete
                        </Button>
                      )}
                    </div>
                  </TD>
                )}
              </TR>
            );
          })}
        </TBody>
      </Table>
    </Card>
  );
}
