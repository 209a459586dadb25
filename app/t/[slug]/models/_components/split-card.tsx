"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ModelView } from "@/lib/models/model-schemas";
import { useClearSplit, useSetSplit } from "./models-api";

type Props = { slug: string; model: ModelView; canWrite: boolean; onMessage: (tone: "success" | "error", text: string) => void };

/** Canary: a share of requests to another version; rollback sends everything back to the default at once. */
export function SplitCard({ slug, model, canWrite, onMessage }: Props) {
  const setSplit = useSetSplit(slug);
  const clear = useClearSplit(slug);
  const others = model.versions.filter((v) => v.label !== model.defaultVersion);
  const [canary, setCanary] = useState(others[0]?.label ?? "");
  const [percent, setPercent] = useState("10");
  const fields = setSplit.error instanceof ApiError ? setSplit.error.fields : {};
  const formError = setSplit.error && Object.keys(fields).length === 0 ? setSplit.error.message : null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const p = Number(percent);
    setSplit.mutate(
      { id: model.id, input: { versions: [{ version: model.defaultVersion ?? "", percent: 100 - p }, { version: canary, percent: p }] } },
      { onSuccess: () => onMessage("success", `Canary started: ${canary} gets ${p}% of requests.`) },
    );
  }

  return (
    <Card>
      <CardHeader title="Traffic split" description="Send a share of requests to a canary version; roll back instantly." />
      <div className="px-5 py-5">
        {model.split ? (
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-zinc-700" data-testid="split-summary">
              {model.split.versions.map((s) => `${s.version}: ${s.percent}%`).join(" · ")}
            </p>
            {canWrite && (
              <Button
                variant="danger"
                loading={clear.isPending}
                onClick={() =>
                  clear.mutate(model.id, {
                    onSuccess: () => onMessage("success", `Rolled back: ${model.defaultVersion} serves all traffic.`),
                    onError: (err) => onMessage("error", err.message),
                  })
                }
              >
                Roll back
              </Button>
            )}
          </div>
        ) : !canWrite ? (
          <p className="text-sm text-zinc-500">{model.defaultVersion} serves all traffic.</p>
        ) : others.length === 0 ? (
          <p className="text-sm text-zinc-500">Add a second version to start a canary.</p>
        ) : (
          <form onSubmit={submit} noValidate className="space-y-4" aria-label="Traffic split">
            {formError && <Alert>{formError}</Alert>}
            {fieldError(fields, "versions") && <Alert>{fieldError(fields, "versions")}</Alert>}
            <div className="grid items-end gap-4 sm:grid-cols-3">
              <Select label="Canary version" name="canary" value={canary} onChange={(e) => setCanary(e.target.value)}>
                {others.map((v) => (
                  <option key={v.id} value={v.label}>
                    {v.label}
                  </option>
                ))}
              </Select>
              <Input label="Canary share (%)" name="percent" type="number" min={1} max={99} value={percent} onChange={(e) => setPercent(e.target.value)} />
              <Button type="submit" loading={setSplit.isPending}>
                Start canary
              </Button>
            </div>
            <p className="text-xs text-zinc-500">
              {model.defaultVersion} keeps {Math.max(0, 100 - Number(percent || 0))}% of requests.
            </p>
          </form>
        )}
      </div>
    </Card>
  );
}
